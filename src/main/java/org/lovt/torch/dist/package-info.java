/**
 * Data-parallel training on libtorch's c10d: the job description from torchrun's environment variables
 * ({@link org.lovt.torch.dist.DistributedEnv}), a Gloo process group with its rendezvous store
 * ({@link org.lovt.torch.dist.DistributedGroup}), gradient averaging by libtorch's DDP engine
 * ({@link org.lovt.torch.dist.GradientSync}) and each rank's share of an epoch's samples with the semantics of
 * PyTorch's {@code DistributedSampler} ({@link org.lovt.torch.dist.DistributedShards}).
 */
package org.lovt.torch.dist;

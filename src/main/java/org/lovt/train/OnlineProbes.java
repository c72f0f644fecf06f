package org.lovt.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.data.PretrainingBatch;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Tensors;

/**
 * The original's online evaluators ({@code online_eval}): linear CheXpert probes on detached encoder features,
 * trained alongside pre-training and scored in every validation. As the original, the training pass is an extra
 * encoder pass in train mode on the same (augmented) batch, without gradients, after the model's backward pass; it
 * updates the BatchNorm running statistics a second time. The probes are saved in every checkpoint.
 */
final class OnlineProbes implements TrainListener<PretrainingBatch> {
    private final List<OnlineEvaluator> probes = new ArrayList<>();
    private final LovtModel model;
    private final ReportPacker packer;
    private final Device device;

    OnlineProbes(Map<String, OnlineEvaluatorConfig> configs, LovtModel model, ReportPacker packer, Device device) {
        this.model = model;
        this.packer = packer;
        this.device = device;
        configs.forEach((name, c) -> {
            long d = switch (c.sourceModality()) {
                case A -> model.scanEncoder().localDim();
                case B -> model.reportEncoder().localDim();
                case A_AND_B -> model.scanEncoder().localDim() + model.reportEncoder().localDim();
            };
            OnlineEvaluator probe = new OnlineEvaluator(name, c, d);
            probe.to(device, false);
            probes.add(probe);
        });
    }

    boolean isEmpty() {
        return probes.isEmpty();
    }

    /** The probes as checkpoint extras ({@code online_<name>}). */
    List<Checkpoints.Extra> extras() {
        return probes.stream().map(p -> new Checkpoints.Extra("online_" + p.probeName(), p, p.optimizer())).toList();
    }

    @Override
    public void afterBackward(Fit fit, PretrainingBatch batch, Map<String, Double> metrics) {
        if (probes.isEmpty() || batch.chexpert() == null) {
            return;
        }
        Tensor labels = Tensors.fromHost(batch.chexpert()).to(device, torch.ScalarType.Float);
        EncoderOutput a;
        EncoderOutput b;
        try (NoGradGuard g = new NoGradGuard()) {
            a = model.scanEncoder().forward(Tensors.fromHost(batch.scans()).to(device, torch.ScalarType.Float));
            b = model.reportEncoder().forward(packer.pack(batch.sentences()).to(device));
        }
        for (OnlineEvaluator p : probes) {
            metrics.put("online_" + p.probeName() + "_loss", p.trainStep(p.features(a, b), labels));
        }
    }

    /** One validation batch's model outputs (eval mode). */
    void validationStep(EncoderOutput a, EncoderOutput b, Tensor labels) {
        for (OnlineEvaluator p : probes) {
            p.validationStep(p.features(a, b), labels);
        }
    }

    /** The probes' scores over the validation split (and resets them). */
    void computeValidation(Map<String, Double> into) {
        probes.forEach(p -> into.putAll(p.computeValidation()));
    }
}

package org.lovt.train;

import org.lovt.LovtException;

/** The loss or a gradient became NaN or infinite; the run stopped without overwriting any checkpoint. */
public class TrainingDivergedException extends LovtException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}

/**
 * Errors a user can cause (a bad file, a bad spec, a bad option). They carry a message that names the
 * input and says what was expected; the CLI prints them without a stack trace and exits with code 2.
 */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** A dataset file that cannot be read: names the file and the problem. */
export class DatasetFormatError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetFormatError';
  }
}

/**
 * A weights file (safetensors) that cannot be used: unreadable, malformed, truncated, of a newer format,
 * or holding another model's tensors. Names the file and the problem.
 */
export class WeightsFileError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'WeightsFileError';
  }
}

/**
 * A run's checkpoint that cannot be resumed from: unreadable, truncated or damaged, of a newer format,
 * or written by another run (another model, optimizer or spec). Names the file and the problem.
 */
export class CheckpointFileError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'CheckpointFileError';
  }
}

/**
 * A model spec that does not describe a valid network: names the layer and the field. `field` is where
 * the fault is, as a path: inside a model spec (`inputShape`, `layers[2].units`) where a spec is
 * checked alone, or in a run spec (`arch`, `archOptions.widths`, `arch.layers.2.units`) once buildModel
 * has placed it.
 */
export class ModelSpecError extends UserInputError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ModelSpecError';
  }
}

/**
 * A run spec field that does not fit the dataset it was loaded with (a subset larger than its split,
 * augmentation of examples that are not images). `field` is the run spec's: `trainSize`, `augment`.
 */
export class RunSpecFieldError extends UserInputError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'RunSpecFieldError';
  }
}

/** An optimizer name or option that does not exist or has the wrong type. */
export class OptimizerOptionError extends UserInputError {
  constructor(message: string) {
    super(message);
    this.name = 'OptimizerOptionError';
  }
}

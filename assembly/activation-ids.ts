// Numeric activation ids, the same as ActivationIds in src/activations.ts (a test checks).
export const ACT_TANH: i32 = 0;
export const ACT_SIGMOID: i32 = 1;
export const ACT_ERF: i32 = 2;
export const ACT_GELU: i32 = 3;
export const ACT_SOFTPLUS: i32 = 4;
export const ACT_SIN: i32 = 5;
export const ACT_RELU: i32 = 6;

/** aiguard's hardened AWS components (@pulumi/aws v7). */
export * from "./tags";
export * from "./encryption-key";
export * from "./network";
export * from "./model-store";
export * from "./ml-roles";
export * from "./backup";
export * from "./audit";
export * from "./sagemaker-training";
export * from "./sagemaker-inference";

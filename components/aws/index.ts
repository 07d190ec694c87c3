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
export * from "./eks-cluster";
export { DEFAULT_EKS_VERSION, MINIMUM_EKS_VERSION, CLUSTER_LOG_TYPES, eksKubeconfig, type KubeconfigInputs } from "./eks-policies";
export * from "./vector-store";

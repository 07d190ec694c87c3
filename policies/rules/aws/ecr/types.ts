/** ECR resource types in @pulumi/aws v7. */
export const REPOSITORY_TYPE = "aws:ecr/repository:Repository";
export const REGISTRY_SCANNING_TYPE = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration";

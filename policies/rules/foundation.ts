/**
 * The foundation rules: AWS storage, keys, identity, networks, logging, audit and tagging.
 * One rule per file under `aws/<service>/`; this list fixes their order in the pack.
 */
import type { Rule } from "../framework/rule";
import { cloudtrailTrailEnableLogFileValidation } from "./aws/cloudtrail/trail-enable-log-file-validation";
import { cloudtrailTrailEnableMultiRegion } from "./aws/cloudtrail/trail-enable-multi-region";
import { cloudtrailTrailMissingDataEvents } from "./aws/cloudtrail/trail-missing-data-events";
import { cloudtrailTrailMissingKmsKey } from "./aws/cloudtrail/trail-missing-kms-key";
import { cloudwatchLogGroupConfigureRetention } from "./aws/cloudwatch/loggroup-configure-retention";
import { cloudwatchLogGroupMissingKmsKey } from "./aws/cloudwatch/loggroup-missing-kms-key";
import { ec2DefaultSecurityGroupDisallowRules } from "./aws/ec2/defaultsecuritygroup-disallow-rules";
import { ec2RouteDisallowTrainingInferenceRoute } from "./aws/ec2/route-disallow-training-inference-route";
import { ec2RouteDisallowTrainingInternetRoute } from "./aws/ec2/route-disallow-training-internet-route";
import { ec2SecurityGroupDisallowPublicIngress } from "./aws/ec2/securitygroup-disallow-public-ingress";
import { ec2SecurityGroupDisallowTrainingInferenceReference } from "./aws/ec2/securitygroup-disallow-training-inference-reference";
import { ec2SubnetDisallowTrainingPublicIp } from "./aws/ec2/subnet-disallow-training-public-ip";
import { ec2VpcDisallowTrainingInferenceConnection } from "./aws/ec2/vpc-disallow-training-inference-connection";
import { ec2VpcMissingFlowLogs } from "./aws/ec2/vpc-missing-flow-logs";
import { iamPolicyDisallowWildcardPermissions } from "./aws/iam/policy-disallow-wildcard-permissions";
import { iamRoleDisallowAdminPolicies } from "./aws/iam/role-disallow-admin-policies";
import { iamRoleDisallowPublicTrust } from "./aws/iam/role-disallow-public-trust";
import { iamRoleDisallowWildcardPermissions } from "./aws/iam/role-disallow-wildcard-permissions";
import { iamRoleMissingConfusedDeputyCondition } from "./aws/iam/role-missing-confused-deputy-condition";
import { kmsKeyConfigureDeletionWindow } from "./aws/kms/key-configure-deletion-window";
import { kmsKeyDisallowPublicPrincipal } from "./aws/kms/key-disallow-public-principal";
import { kmsKeyEnableRotation } from "./aws/kms/key-enable-rotation";
import { s3BucketDisableAcls } from "./aws/s3/bucket-disable-acls";
import { s3BucketDisallowForceDestroy } from "./aws/s3/bucket-disallow-force-destroy";
import { s3BucketDisallowPublicAcl } from "./aws/s3/bucket-disallow-public-acl";
import { s3BucketDisallowPublicPolicy } from "./aws/s3/bucket-disallow-public-policy";
import { s3BucketEnableAccessLogging } from "./aws/s3/bucket-enable-access-logging";
import { s3BucketEnableObjectLock } from "./aws/s3/bucket-enable-object-lock";
import { s3BucketEnableVersioning } from "./aws/s3/bucket-enable-versioning";
import { s3BucketEnforceTls } from "./aws/s3/bucket-enforce-tls";
import { s3BucketMissingKmsEncryption } from "./aws/s3/bucket-missing-kms-encryption";
import { s3BucketMissingPublicAccessBlock } from "./aws/s3/bucket-missing-public-access-block";
import { tagsResourceMissingRequiredTags } from "./aws/tags/resource-missing-required-tags";

export const FOUNDATION_RULES: Rule[] = [
    // S3 AI data stores
    s3BucketMissingKmsEncryption,
    s3BucketEnableVersioning,
    s3BucketMissingPublicAccessBlock,
    s3BucketDisableAcls,
    s3BucketEnforceTls,
    s3BucketEnableAccessLogging,
    s3BucketEnableObjectLock,
    s3BucketDisallowForceDestroy,
    s3BucketDisallowPublicAcl,
    s3BucketDisallowPublicPolicy,
    // KMS
    kmsKeyEnableRotation,
    kmsKeyConfigureDeletionWindow,
    kmsKeyDisallowPublicPrincipal,
    // IAM
    iamPolicyDisallowWildcardPermissions,
    iamRoleDisallowWildcardPermissions,
    iamRoleDisallowAdminPolicies,
    iamRoleDisallowPublicTrust,
    iamRoleMissingConfusedDeputyCondition,
    // Networks
    ec2VpcDisallowTrainingInferenceConnection,
    ec2RouteDisallowTrainingInferenceRoute,
    ec2SecurityGroupDisallowTrainingInferenceReference,
    ec2RouteDisallowTrainingInternetRoute,
    ec2SubnetDisallowTrainingPublicIp,
    ec2SecurityGroupDisallowPublicIngress,
    ec2DefaultSecurityGroupDisallowRules,
    ec2VpcMissingFlowLogs,
    // Logging and audit
    cloudwatchLogGroupMissingKmsKey,
    cloudwatchLogGroupConfigureRetention,
    cloudtrailTrailEnableMultiRegion,
    cloudtrailTrailEnableLogFileValidation,
    cloudtrailTrailMissingKmsKey,
    cloudtrailTrailMissingDataEvents,
    // Asset inventory
    tagsResourceMissingRequiredTags,
];

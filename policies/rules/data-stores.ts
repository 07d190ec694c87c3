/**
 * The data-store rules: where an AI platform keeps application and training data, caches, shared
 * model weights, retrieval corpora and vector stores (RDS and Aurora, Redshift, ElastiCache, EFS,
 * FSx for Lustre, OpenSearch domains and Serverless collections, Kendra, Bedrock knowledge-base
 * data sources). One rule per file under `aws/<service>/`; this list fixes their order in the pack.
 */
import type { Rule } from "../framework/rule";
import { bedrockAgentDataSourceMissingKmsKey } from "./aws/bedrock/agentdatasource-missing-kms-key";
import { efsFileSystemMissingKmsKey } from "./aws/efs/filesystem-missing-kms-key";
import { elasticacheReplicationGroupEnableTransitEncryption } from "./aws/elasticache/replicationgroup-enable-transit-encryption";
import { elasticacheReplicationGroupMissingKmsKey } from "./aws/elasticache/replicationgroup-missing-kms-key";
import { fsxLustreFileSystemMissingKmsKey } from "./aws/fsx/lustrefilesystem-missing-kms-key";
import { kendraIndexMissingKmsKey } from "./aws/kendra/index-missing-kms-key";
import { opensearchDomainDisallowPublicEndpoint } from "./aws/opensearch/domain-disallow-public-endpoint";
import { opensearchDomainEnforceTls } from "./aws/opensearch/domain-enforce-tls";
import { opensearchDomainMissingKmsKey } from "./aws/opensearch/domain-missing-kms-key";
import { opensearchServerlessCollectionDisallowPublicAccess } from "./aws/opensearch/serverlesscollection-disallow-public-access";
import { opensearchServerlessCollectionMissingKmsKey } from "./aws/opensearch/serverlesscollection-missing-kms-key";
import { rdsClusterDisallowPlaintextPassword } from "./aws/rds/cluster-disallow-plaintext-password";
import { rdsClusterMissingKmsKey } from "./aws/rds/cluster-missing-kms-key";
import { rdsInstanceDisallowPlaintextPassword } from "./aws/rds/instance-disallow-plaintext-password";
import { rdsInstanceDisallowPublicAccess } from "./aws/rds/instance-disallow-public-access";
import { rdsInstanceMissingKmsKey } from "./aws/rds/instance-missing-kms-key";
import { redshiftClusterDisallowPlaintextPassword } from "./aws/redshift/cluster-disallow-plaintext-password";
import { redshiftClusterDisallowPublicAccess } from "./aws/redshift/cluster-disallow-public-access";
import { redshiftClusterMissingKmsKey } from "./aws/redshift/cluster-missing-kms-key";
import { redshiftServerlessNamespaceMissingKmsKey } from "./aws/redshiftserverless/namespace-missing-kms-key";

export const DATA_STORE_RULES: Rule[] = [
    // RDS and Aurora
    rdsInstanceMissingKmsKey,
    rdsInstanceDisallowPublicAccess,
    rdsInstanceDisallowPlaintextPassword,
    rdsClusterMissingKmsKey,
    rdsClusterDisallowPlaintextPassword,
    // Redshift
    redshiftClusterMissingKmsKey,
    redshiftClusterDisallowPublicAccess,
    redshiftClusterDisallowPlaintextPassword,
    redshiftServerlessNamespaceMissingKmsKey,
    // ElastiCache
    elasticacheReplicationGroupMissingKmsKey,
    elasticacheReplicationGroupEnableTransitEncryption,
    // File systems
    efsFileSystemMissingKmsKey,
    fsxLustreFileSystemMissingKmsKey,
    // Search and vector stores
    opensearchDomainMissingKmsKey,
    opensearchDomainEnforceTls,
    opensearchDomainDisallowPublicEndpoint,
    opensearchServerlessCollectionMissingKmsKey,
    opensearchServerlessCollectionDisallowPublicAccess,
    kendraIndexMissingKmsKey,
    bedrockAgentDataSourceMissingKmsKey,
];

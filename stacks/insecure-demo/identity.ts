/**
 * The demo's key and role, declared the way teams get them wrong: a KMS key without rotation, with
 * the shortest deletion window and a policy letting everyone use it; a SageMaker execution role
 * that anyone (and SageMaker acting for any account) may assume, with `*:*`, `s3:*` on `*` and
 * AdministratorAccess attached.
 */
import * as aws from "@pulumi/aws";
import { aiTags } from "./tags";

export interface DemoIdentity {
    readonly key: aws.kms.Key;
    readonly trainingRole: aws.iam.Role;
}

/** The physical name of the demo's execution role. */
export const TRAINING_ROLE_NAME = "acme-ml-training";

export function buildIdentity(): DemoIdentity {
    const key = new aws.kms.Key("shared-key", {
        description: "One key for everything ML",
        enableKeyRotation: false,
        deletionWindowInDays: 7,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }],
        }),
        tags: aiTags("encryption-key"),
    });

    const trainingRole = new aws.iam.Role("training-role", {
        name: TRAINING_ROLE_NAME,
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                // No aws:SourceAccount / aws:SourceArn: any account's SageMaker job could act as this role.
                { Sid: "SageMaker", Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" },
                // "Temporary" cross-account access for a contractor, written as everyone.
                { Sid: "Contractor", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
            ],
        }),
        inlinePolicies: [{
            name: "everything",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
        }],
        tags: aiTags("role"),
    });
    new aws.iam.RolePolicyAttachment("training-role-admin", {
        role: trainingRole.name,
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    new aws.iam.RolePolicy("training-role-s3", {
        role: trainingRole.id,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
    });
    return { key, trainingRole };
}

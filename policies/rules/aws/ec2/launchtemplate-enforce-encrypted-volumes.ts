/** Launch templates must encrypt every EBS volume they attach. */
import * as aws from "@pulumi/aws";
import { resourceRule, UNKNOWN, type Finding } from "../../../framework/rule";
import { asList, get, skipsWhenUnknown } from "../../../framework/values";

export const ec2LaunchTemplateEnforceEncryptedVolumes = resourceRule({
    name: "aws-ec2-launchtemplate-enforce-encrypted-volumes",
    description:
        "EC2 launch templates, which start training hosts and EKS nodes, must declare their EBS volumes encrypted (`blockDeviceMappings[].ebs.encrypted`), with a customer-managed key where one is given. Training data, checkpoints and model weights land on these disks.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ec2.LaunchTemplate],
    remediationSteps: "Add `blockDeviceMappings: [{ deviceName: \"/dev/xvda\", ebs: { encrypted: \"true\", kmsKeyId: key.arn, volumeType: \"gp3\" } }]` (the root device name depends on the AMI).",
    url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
    onUnknown: skipsWhenUnknown("`blockDeviceMappings` (or an entry's `ebs.encrypted`)"),
    check({ props }): Finding[] {
        const mappings = asList(props.blockDeviceMappings);
        if (mappings === UNKNOWN) return [];
        if (mappings.length === 0) {
            return [{ message: "no blockDeviceMappings: the root volume's encryption is left to the AMI and the account default; declare it encrypted" }];
        }
        const findings: Finding[] = [];
        mappings.forEach((m, i) => {
            const ebs = get(m, "ebs");
            if (ebs === undefined || ebs === null) return;
            const encrypted = get(ebs, "encrypted");
            if (encrypted === UNKNOWN || encrypted === true || encrypted === "true") return;
            findings.push({ message: `blockDeviceMappings[${i}].ebs.encrypted is ${encrypted === undefined ? "not set" : JSON.stringify(encrypted)}; set it to "true"` });
        });
        return findings;
    },
});

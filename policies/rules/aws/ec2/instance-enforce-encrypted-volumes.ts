/** EC2 instances must encrypt their root and EBS volumes. */
import * as aws from "@pulumi/aws";
import { resourceRule, UNKNOWN, type Finding } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";

export const ec2InstanceEnforceEncryptedVolumes = resourceRule({
    name: "aws-ec2-instance-enforce-encrypted-volumes",
    description:
        "EC2 instances, such as GPU training hosts, must declare their root volume (`rootBlockDevice.encrypted`) and every attached EBS volume (`ebsBlockDevices[].encrypted`) encrypted. Training data, checkpoints and model weights land on these disks. An instance started from a launch template that declares its volumes is judged through that template (aws-ec2-launchtemplate-enforce-encrypted-volumes).",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ec2.Instance],
    remediationSteps: "Set `rootBlockDevice: { encrypted: true, kmsKeyId: key.arn }` and `encrypted: true` (with `kmsKeyId`) on every entry of `ebsBlockDevices`, or start the instance from a launch template whose `blockDeviceMappings` are encrypted.",
    url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
    onUnknown: "Reports nothing for a volume whose `encrypted` is unknown at preview, or when `rootBlockDevice`/`ebsBlockDevices` is unknown; the rule runs again at update with the resolved values.",
    check({ props }): Finding[] {
        const findings: Finding[] = [];
        const fromTemplate = get(props, "launchTemplate") !== undefined;
        const root = props.rootBlockDevice;
        if (root !== UNKNOWN) {
            const encrypted = get(root, "encrypted");
            if ((root === undefined || root === null) && !fromTemplate) {
                findings.push({ message: "no rootBlockDevice: the root volume's encryption is left to the AMI and the account default; declare it encrypted" });
            } else if (root !== undefined && root !== null && encrypted !== UNKNOWN && encrypted !== true) {
                findings.push({ message: `rootBlockDevice.encrypted is ${encrypted === undefined ? "not set" : JSON.stringify(encrypted)}; set it to true` });
            }
        }
        const devices = asList(props.ebsBlockDevices);
        if (devices !== UNKNOWN) {
            devices.forEach((d, i) => {
                const encrypted = get(d, "encrypted");
                if (d === UNKNOWN || encrypted === UNKNOWN || encrypted === true) return;
                findings.push({ message: `ebsBlockDevices[${i}].encrypted is ${encrypted === undefined ? "not set" : JSON.stringify(encrypted)}; set it to true` });
            });
        }
        return findings;
    },
});

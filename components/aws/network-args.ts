/**
 * The argument check of {@link AiNetworks}: a pure function, tested with tables, that the
 * constructor calls first. Returns the first problem, naming the fix, or `undefined`.
 */
import { carveSubnets, ipv4CidrsOverlap, validateClientCidrs, validateVpcCidr } from "./network-cidr";
import { flowLogRetentionError } from "./network-flow-logs";
import { type InterfaceEndpointSpec, REQUIRED_INTERFACE_ENDPOINTS } from "./network-policies";
import type { AiNetworksArgs, InferencePrivateLinkArgs } from "./network";
import { assetTagsProblem } from "./tags";

function validPort(port: number): boolean {
    return Number.isInteger(port) && port >= 1 && port <= 65535;
}

export const DEFAULT_TRAINING_CIDR = "10.20.0.0/16";
export const DEFAULT_INFERENCE_CIDR = "10.30.0.0/16";

/** `check`'s thrown message, or `undefined`: the CIDR helpers throw their problem. */
function thrownProblem(check: () => unknown): string | undefined {
    try {
        check();
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

/** The first problem with the arguments, or `undefined`: contradictions are named with the fix. */
export function aiNetworksArgsProblem(args: AiNetworksArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    const trainingCidr = args.trainingCidr ?? DEFAULT_TRAINING_CIDR;
    const inferenceCidr = args.inferenceCidr ?? DEFAULT_INFERENCE_CIDR;
    const cidrProblem = thrownProblem(() => validateVpcCidr(trainingCidr, "trainingCidr")) ?? thrownProblem(() => validateVpcCidr(inferenceCidr, "inferenceCidr"));
    if (cidrProblem !== undefined) return cidrProblem;
    if (ipv4CidrsOverlap(trainingCidr, inferenceCidr)) {
        return `trainingCidr ${trainingCidr} and inferenceCidr ${inferenceCidr} overlap; the two networks need disjoint address ranges (DP-1 / P6)`;
    }
    const names = args.availabilityZoneNames;
    if (names !== undefined) {
        if (new Set(names).size !== names.length) {
            return `availabilityZoneNames must not repeat a zone; got ${names.join(", ")}`;
        }
        if (args.availabilityZoneCount !== undefined && args.availabilityZoneCount !== names.length) {
            return `availabilityZoneCount (${args.availabilityZoneCount}) contradicts availabilityZoneNames (${names.length} zones); give one of them`;
        }
    }
    const zoneCount = names?.length ?? args.availabilityZoneCount ?? 2;
    if (!Number.isInteger(zoneCount) || zoneCount < 2) {
        return `the networks need at least 2 availability zones for resilience; got ${zoneCount}`;
    }
    const retentionError = flowLogRetentionError(args.flowLogRetentionInDays ?? 365);
    if (retentionError) return retentionError;
    if (args.logKmsKeyArn !== undefined && args.logKeyAdministratorArns !== undefined) {
        return "give either logKmsKeyArn (use an existing key) or logKeyAdministratorArns (create a key), not both";
    }
    if (args.logKmsKeyArn === undefined && (args.logKeyAdministratorArns ?? []).length === 0) {
        return "flow logs are encrypted with a customer-managed key: give logKeyAdministratorArns (to create one) or logKmsKeyArn (to use yours)";
    }
    const listenerPort = args.inferenceListenerPort ?? 443;
    const servingPort = args.inferenceServingPort ?? 8080;
    if (!validPort(listenerPort)) return `inferenceListenerPort must be an integer from 1 to 65535; got ${listenerPort}`;
    if (!validPort(servingPort)) return `inferenceServingPort must be an integer from 1 to 65535; got ${servingPort}`;
    const clientProblem = thrownProblem(() => validateClientCidrs(args.inferenceIngressCidrs ?? [], trainingCidr));
    if (clientProblem !== undefined) return clientProblem;
    const privateLinkProblem = privateLinkArgsProblem(args.inferencePrivateLink) ?? additionalEndpointsProblem(args.additionalInterfaceEndpoints ?? []);
    if (privateLinkProblem !== undefined) return privateLinkProblem;
    return thrownProblem(() => [carveSubnets(trainingCidr, zoneCount), carveSubnets(inferenceCidr, zoneCount)]);
}

function privateLinkArgsProblem(privateLink: InferencePrivateLinkArgs | undefined): string | undefined {
    if (privateLink === undefined) return undefined;
    if (privateLink.networkLoadBalancerArns.length === 0) {
        return "inferencePrivateLink.networkLoadBalancerArns must name at least one internal network load balancer";
    }
    if (privateLink.allowedPrincipalArns.length === 0) {
        return "inferencePrivateLink.allowedPrincipalArns must name at least one principal: a PrivateLink service nobody may connect to is useless";
    }
    for (const p of privateLink.allowedPrincipalArns) {
        if (typeof p === "string" && !p.startsWith("arn:")) {
            return `inferencePrivateLink.allowedPrincipalArns must list IAM principal ARNs, never "*" or bare ids; got ${JSON.stringify(p)}`;
        }
    }
    return undefined;
}

function additionalEndpointsProblem(endpoints: readonly InterfaceEndpointSpec[]): string | undefined {
    const builtIn = new Set(REQUIRED_INTERFACE_ENDPOINTS.map((e) => e.service));
    for (const e of endpoints) {
        if (builtIn.has(e.service)) return `additionalInterfaceEndpoints: "${e.service}" is already created by default; remove it`;
        if (e.actions.length === 0 || e.actions.some((a) => a === "*" || !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a))) {
            return `additionalInterfaceEndpoints: "${e.service}" needs service-prefixed actions such as "ssm:*", never "*"; got ${JSON.stringify(e.actions)}`;
        }
    }
    return undefined;
}

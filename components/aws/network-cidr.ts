/**
 * Pure CIDR helpers for {@link AiNetworks} (no Pulumi, no AWS): parsing, overlap checks, subnet
 * carving and validation of client CIDRs. Exported so tests can check them directly.
 */
import { isIPv4, isIPv6 } from "node:net";

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
    /** Network address as an unsigned 32-bit integer (host bits cleared). */
    readonly network: number;
    /** Prefix length, 0-32. */
    readonly prefix: number;
}

function ipv4ToInt(address: string): number {
    return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * Parses `a.b.c.d/n`. Throws when the text is not an IPv4 CIDR or has host bits set
 * (`10.20.1.0/16`), since AWS would silently use a different block than the one written.
 */
export function parseIpv4Cidr(text: string): Ipv4Cidr {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
    if (!match || !isIPv4(match[1]!) || Number(match[2]) > 32) {
        throw new Error(`"${text}" is not an IPv4 CIDR block; write it as a.b.c.d/n, e.g. "10.20.0.0/16"`);
    }
    const prefix = Number(match[2]);
    const address = ipv4ToInt(match[1]!);
    const size = 2 ** (32 - prefix);
    if (address % size !== 0) {
        throw new Error(`"${text}" has host bits set; the network address of that block is ${intToIpv4(address - (address % size))}/${prefix}`);
    }
    return { network: address, prefix };
}

/** Formats a parsed block back to text. */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
    return `${intToIpv4(cidr.network)}/${cidr.prefix}`;
}

/** True when two IPv4 CIDR blocks share at least one address. */
export function ipv4CidrsOverlap(a: string, b: string): boolean {
    const x = parseIpv4Cidr(a);
    const y = parseIpv4Cidr(b);
    const xEnd = x.network + 2 ** (32 - x.prefix);
    const yEnd = y.network + 2 ** (32 - y.prefix);
    return x.network < yEnd && y.network < xEnd;
}

/**
 * Validates a VPC CIDR: IPv4, prefix /16 to /24 (AWS allows /16-/28 for a VPC; /24 is the smallest
 * that still leaves room for one /28 subnet per zone plus endpoint interfaces). Throws otherwise.
 */
export function validateVpcCidr(text: string, argName: string): void {
    let cidr: Ipv4Cidr;
    try {
        cidr = parseIpv4Cidr(text);
    } catch (err) {
        throw new Error(`${argName}: ${(err as Error).message}`);
    }
    if (cidr.prefix < 16 || cidr.prefix > 24) {
        throw new Error(`${argName}: a VPC CIDR needs a prefix from /16 to /24; got "${text}"`);
    }
}

/**
 * Splits a VPC CIDR into `count` equal subnets, `newBits` longer than the VPC prefix (default 4:
 * a /16 gives /20 subnets). Throws when `count` subnets do not fit or would be smaller than /28.
 */
export function carveSubnets(vpcCidr: string, count: number, newBits = 4): string[] {
    const vpc = parseIpv4Cidr(vpcCidr);
    const prefix = vpc.prefix + newBits;
    if (prefix > 28) {
        throw new Error(`cannot carve subnets from "${vpcCidr}": /${prefix} is smaller than the AWS minimum /28; use a larger VPC CIDR`);
    }
    if (count > 2 ** newBits) {
        throw new Error(`cannot carve ${count} subnets of /${prefix} from "${vpcCidr}": at most ${2 ** newBits} fit`);
    }
    const size = 2 ** (32 - prefix);
    return Array.from({ length: count }, (_, i) => formatIpv4Cidr({ network: vpc.network + i * size, prefix }));
}

/**
 * Validates the client CIDRs allowed to reach inference (IPv4 or IPv6). Rejects any block with a
 * /0 prefix (`0.0.0.0/0`, `::/0`: the whole internet, DP-1 / P6) and any block overlapping the
 * training network (a path from training into inference would break segregation). Returns the
 * blocks split by family.
 */
export function validateClientCidrs(cidrs: readonly string[], trainingCidr: string): { ipv4: string[]; ipv6: string[] } {
    const ipv4: string[] = [];
    const ipv6: string[] = [];
    for (const text of cidrs) {
        const slash = text.lastIndexOf("/");
        const address = slash > 0 ? text.slice(0, slash) : "";
        const prefixText = slash > 0 ? text.slice(slash + 1) : "";
        const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
        if (isIPv6(address) && prefix <= 128) {
            if (prefix === 0) {
                throw new Error(`inferenceIngressCidrs must not contain "${text}": ::/0 admits the whole internet (DP-1 / P6); list the client networks that call inference`);
            }
            ipv6.push(text);
            continue;
        }
        if (!isIPv4(address) || !(prefix <= 32)) {
            throw new Error(`inferenceIngressCidrs: "${text}" is not an IPv4 or IPv6 CIDR block (e.g. "10.40.0.0/16" or "fd00:1::/64")`);
        }
        if (prefix === 0) {
            throw new Error(`inferenceIngressCidrs must not contain "${text}": 0.0.0.0/0 admits the whole internet (DP-1 / P6); list the client networks that call inference`);
        }
        try {
            parseIpv4Cidr(text);
        } catch (err) {
            throw new Error(`inferenceIngressCidrs: ${(err as Error).message}`);
        }
        if (ipv4CidrsOverlap(text, trainingCidr)) {
            throw new Error(`inferenceIngressCidrs must not contain "${text}": it overlaps the training network ${trainingCidr}, and training must have no path into inference (DP-1 / P6)`);
        }
        ipv4.push(text);
    }
    return { ipv4, ipv6 };
}

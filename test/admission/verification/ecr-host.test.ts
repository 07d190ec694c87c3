/** The production ECR host matcher and the endpoint check: which hosts ever get AWS-derived credentials. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcrCredentialSource, parseEcrHost, validateEcrEndpoint } from "../../../admission-webhook/verification/registry/ecr";
import { RegistryError } from "../../../admission-webhook/verification/errors";

describe("parseEcrHost (production matcher)", () => {
    it.each([
        ["123456789012.dkr.ecr.eu-west-2.amazonaws.com", { account: "123456789012", region: "eu-west-2", fips: false }],
        ["123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", { account: "123456789012", region: "us-gov-west-1", fips: true }],
        ["000000000001.dkr.ecr.cn-north-1.amazonaws.com.cn", { account: "000000000001", region: "cn-north-1", fips: false }],
        ["123456789012.dkr.ecr.ap-southeast-5.amazonaws.com", { account: "123456789012", region: "ap-southeast-5", fips: false }],
        // Normalised like every registry host: scheme, path and case do not matter.
        ["https://123456789012.DKR.ECR.EU-WEST-2.AMAZONAWS.COM/v2/", { account: "123456789012", region: "eu-west-2", fips: false }],
    ])("accepts %s", (host, expected) => {
        expect(parseEcrHost(host)).toEqual(expected);
    });

    it.each([
        ["look-alike suffix", "123456789012.dkr.ecr.eu-west-2.amazonaws.com.evil.com"],
        ["non-numeric account + look-alike", "x.dkr.ecr.eu-west-2.amazonaws.com.evil.com"],
        ["look-alike prefix", "evil.com.123456789012.dkr.ecr.eu-west-2.amazonaws.com"],
        ["11-digit account", "12345678901.dkr.ecr.eu-west-2.amazonaws.com"],
        ["13-digit account", "1234567890123.dkr.ecr.eu-west-2.amazonaws.com"],
        ["letters before the account", "a123456789012.dkr.ecr.eu-west-2.amazonaws.com"],
        ["unescaped dot used as wildcard", "123456789012xdkr.ecr.eu-west-2.amazonaws.com"],
        ["second unescaped dot", "123456789012.dkrxecr.eu-west-2.amazonaws.com"],
        ["port", "123456789012.dkr.ecr.eu-west-2.amazonaws.com:443"],
        ["trailing dot", "123456789012.dkr.ecr.eu-west-2.amazonaws.com."],
        ["other domain", "123456789012.dkr.ecr.eu-west-2.amazonaws.co"],
        ["domain glued on", "123456789012.dkr.ecr.eu-west-2.amazonaws.comevil"],
        ["no region", "123456789012.dkr.ecr.amazonaws.com"],
        ["malformed region", "123456789012.dkr.ecr.eu_west_2.amazonaws.com"],
        ["China region outside .cn", "123456789012.dkr.ecr.cn-north-1.amazonaws.com"],
        [".cn for another region", "123456789012.dkr.ecr.eu-west-2.amazonaws.com.cn"],
        ["public ECR", "public.ecr.aws"],
        ["userinfo trick", "123456789012.dkr.ecr.eu-west-2.amazonaws.com@evil.com"],
        ["loopback", "127.0.0.1:5000"],
        ["empty", ""],
    ])("rejects %s (%s)", (_why, host) => {
        expect(parseEcrHost(host)).toBeUndefined();
    });

    it("rejects any ECR host with characters appended (other than a valid .cn)", () => {
        fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(..."abc.-:@1_".split("")) }), (suffix) => {
            expect(parseEcrHost(`123456789012.dkr.ecr.eu-west-2.amazonaws.com${suffix}`)).toBeUndefined();
        }));
    });
});

describe("ECR endpoint override", () => {
    it.each(["https://api.ecr.eu-west-2.amazonaws.com", "https://vpce-0abc-1234.api.ecr.eu-west-2.vpce.amazonaws.com", "http://127.0.0.1:4566", "http://localhost:8080"])("accepts %s", (url) => {
        expect(validateEcrEndpoint(url).toString()).toContain(new URL(url).host);
    });

    it.each([
        ["http://10.0.0.1", /must use https/],
        ["http://api.ecr.eu-west-2.amazonaws.com", /must use https/],
        ["ftp://127.0.0.1", /must use https/],
        ["not a url", /is not a URL/],
    ])("rejects %s", (url, message) => {
        expect(() => validateEcrEndpoint(url)).toThrow(RegistryError);
        expect(() => validateEcrEndpoint(url)).toThrow(message);
        expect(() => new EcrCredentialSource({ endpoint: url })).toThrow(message);
    });
});

describe("EcrCredentialSource without network", () => {
    it("gives no credentials to non-ECR hosts, and none at all in mode off", async () => {
        const auto = new EcrCredentialSource();
        expect(await auto.credentialFor("ghcr.io", AbortSignal.timeout(1000))).toBeUndefined();
        expect(await auto.credentialFor("123456789012.dkr.ecr.eu-west-2.amazonaws.com.evil.com", AbortSignal.timeout(1000))).toBeUndefined();
        const off = new EcrCredentialSource({ mode: "off" });
        expect(off.matches("123456789012.dkr.ecr.eu-west-2.amazonaws.com")).toBeUndefined();
        expect(off.isEcrHost("123456789012.dkr.ecr.eu-west-2.amazonaws.com")).toBe(true);
        expect(await off.credentialFor("123456789012.dkr.ecr.eu-west-2.amazonaws.com", AbortSignal.timeout(1000))).toBeUndefined();
    });

    it("rejects an unknown mode", () => {
        expect(() => new EcrCredentialSource({ mode: "on" as never })).toThrow(/must be "auto" or "off"/);
    });
});

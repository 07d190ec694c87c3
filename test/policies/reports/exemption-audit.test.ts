/**
 * Exemption dates and the pack-wide audit of configured exemptions: an impossible expiry is
 * rejected and never exempts (fail closed), expired exemptions and exemptions that applied to
 * nothing are reported, judged across the pack (a pack-wide exemption copied into every policy's
 * config is one exemption; one naming rule Y under policy X is found out).
 */
import { describe, expect, it } from "vitest";
import { exemptionKey, expiryProblem, type Exemption } from "../../../common/settings";
import { matchExemption } from "../../../policies/framework/adapt";
import { auditExemptions } from "../../../policies/reports/exemption-audit";
import { urnOf } from "../support";

const justification = "Public demo endpoint, no customer data (RISK-142)";
const SG = "aws-ec2-securitygroup-disallow-public-ingress";
const KMS = "aws-kms-key-enable-rotation";
const RULES = new Set([SG, KMS]);
const TODAY = "2026-12-04";
const sgUrn = urnOf("aws:ec2/securityGroup:SecurityGroup", "public-demo-lb");

describe("expiryProblem", () => {
    it.each(["2027-03-31", "2024-02-29", "2026-12-31", undefined])("accepts %s", (d) => expect(expiryProblem(d)).toBeUndefined());
    it.each([
        ["2027-13-45", "is not a calendar date"],
        ["2026-02-30", "is not a calendar date"],
        ["2025-02-29", "is not a calendar date"],
        ["2026-00-10", "is not a calendar date"],
        ["2026-4-1", "is not a date written YYYY-MM-DD"],
    ])("rejects %s", (d, why) => expect(expiryProblem(d)).toContain(why));
});

describe("matchExemption", () => {
    it("applies a valid exemption until its last day, and never one with an impossible expiry", () => {
        const on = (expires: string) => matchExemption([{ name: "public-*", justification, expires }], SG, sgUrn, TODAY);
        expect(on("2026-12-04")).toBeDefined();
        expect(on("2026-12-03")).toBeUndefined();
        expect(on("2027-13-45")).toBeUndefined();
        expect(on("2026-02-30")).toBeUndefined();
    });
});

describe("auditExemptions", () => {
    const everywhere = (e: Exemption) => new Map([SG, KMS].map((p) => [p, { exemptions: [e] }]));

    it("reports nothing for a pack-wide exemption (copied into every policy) that one policy applied", () => {
        const e: Exemption = { name: "public-*", justification };
        expect(auditExemptions(everywhere(e), new Set([exemptionKey(e)]), RULES, TODAY)).toEqual([]);
        // Naming its rule, it is still one exemption held by both policies.
        const ruled: Exemption = { rule: SG, name: "public-*", justification };
        expect(auditExemptions(everywhere(ruled), new Set([exemptionKey(ruled)]), RULES, TODAY)).toEqual([]);
    });

    it("reports a pack-wide exemption that no policy applied once, naming the policies holding it", () => {
        const e: Exemption = { rule: SG, name: "old-*", justification };
        const problems = auditExemptions(everywhere(e), new Set(), RULES, TODAY);
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatchObject({ kind: "unmatched", heldBy: [SG, KMS] });
        expect(problems[0]!.message).toBe(
            `exemption {rule ${SG}, name "old-*"} in the config of ${SG}, ${KMS} applied to no finding in this run. Fix: remove it if the resource complies or is gone, or correct its rule, name or urn.`,
        );
    });

    it("says when an exemption names a rule whose config does not hold it, or a rule the pack lacks", () => {
        const misplaced: Exemption = { rule: SG, name: "public-*", justification };
        const typo: Exemption = { rule: "aws-kms-key-enable-rotaton", name: "k", justification };
        const problems = auditExemptions(new Map([[KMS, { exemptions: [misplaced, typo] }]]), new Set(), RULES, TODAY);
        expect(problems.map((p) => p.kind)).toEqual(["unmatched", "unmatched"]);
        expect(problems[0]!.message).toContain(`It names rule ${SG} but sits only in the config of ${KMS}; Pulumi gives each policy only its own config, so move it under "${SG}".`);
        expect(problems[1]!.message).toContain('The pack has no rule named "aws-kms-key-enable-rotaton".');
    });

    it("reports an expired exemption (its findings are back) and an impossible expiry (it exempts nothing), whether or not they would match", () => {
        const expired: Exemption = { urn: sgUrn, justification, expires: "2026-12-03" };
        const impossible: Exemption = { name: "public-*", justification, expires: "2027-13-45" };
        const problems = auditExemptions(new Map([[SG, { exemptions: [expired, impossible] }]]), new Set(), RULES, TODAY);
        expect(problems.map((p) => p.kind)).toEqual(["expired", "invalid-expiry"]);
        expect(problems[0]!.message).toBe(
            `exemption {rule *, urn ${sgUrn}, expires 2026-12-03} in the config of ${SG} expired on 2026-12-03: the findings it waived are reported again. Fix: remove it once the resource complies, or renew its justification and expiry.`,
        );
        expect(problems[1]!.message).toContain('its expiry "2027-13-45" is not a calendar date, so it exempts nothing. Fix: write the last day it applies as an existing date');
    });

    it("ignores policies without exemptions and malformed entries the engine's schema would have refused", () => {
        expect(auditExemptions(new Map([[SG, {}], [KMS, { exemptions: "x" }]]), new Set(), RULES, TODAY)).toEqual([]);
    });
});

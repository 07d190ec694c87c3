/**
 * Whether a trail's event selectors record S3 object-level (data) events for a bucket, reads and
 * writes both. Basic `eventSelectors` and `advancedEventSelectors` are understood.
 */
import { UNKNOWN, type Maybe } from "../../../framework/rule";
import { asList, containsUnknown, get } from "../../../framework/values";

const ALL_S3 = /^arn:[a-z-]+:s3(:::)?$/;

function bucketArns(bucket: string): string[] {
    return ["aws", "aws-us-gov", "aws-cn"].flatMap((p) => [`arn:${p}:s3:::${bucket}`, `arn:${p}:s3:::${bucket}/`]);
}

function strings(v: unknown): string[] {
    const l = asList(v);
    return l === UNKNOWN ? [] : l.filter((x): x is string => typeof x === "string");
}

function basicCovers(selector: unknown, bucket: string): boolean {
    const rw = get(selector, "readWriteType");
    if (rw !== undefined && rw !== "All") return false;
    const arns = bucketArns(bucket);
    const resources = asList(get(selector, "dataResources"));
    if (resources === UNKNOWN) return false;
    return resources.some((d) => get(d, "type") === "AWS::S3::Object" && strings(get(d, "values")).some((v) => ALL_S3.test(v) || arns.includes(v)));
}

/**
 * An advanced field selector's operator values. @pulumi/aws names the list operators in the plural
 * (`startsWiths`, `notStartsWiths`, `endsWiths`, `notEndsWiths`); the CloudTrail API and raw
 * CloudFormation-style documents use the singular (`startsWith`). Both are read.
 */
function operator(selector: Readonly<Record<string, unknown>>, singular: string): string[] {
    return [...strings(selector[`${singular}s`]), ...strings(selector[singular])];
}

function advancedCovers(selector: unknown, bucket: string): boolean {
    const fields = asList(get(selector, "fieldSelectors"));
    if (fields === UNKNOWN) return false;
    const by = new Map<string, Record<string, unknown>>();
    for (const f of fields) {
        const name = get(f, "field");
        if (typeof name === "string") by.set(name, f as Record<string, unknown>);
    }
    if (!strings(by.get("eventCategory")?.equals).includes("Data")) return false;
    if (!strings(by.get("resources.type")?.equals).includes("AWS::S3::Object")) return false;
    if (by.has("readOnly") || by.has("eventName")) return false;
    const arn = by.get("resources.ARN");
    if (!arn) return true;
    const arns = bucketArns(bucket);
    const excluded = operator(arn, "notStartsWith").some((p) => arns.some((a) => a.startsWith(p) || p.startsWith(a))) || strings(arn.notEquals).length > 0;
    if (excluded) return false;
    const starts = operator(arn, "startsWith");
    if (starts.length === 0 && strings(arn.equals).length === 0 && operator(arn, "endsWith").length === 0) return true;
    return starts.some((p) => arns.includes(p) || ALL_S3.test(p));
}

/** True / false if the trail's selectors are known to cover / not cover the bucket; UNKNOWN if they are not known. */
export function trailCoversBucket(trail: Readonly<Record<string, unknown>>, bucket: string): Maybe<boolean> {
    if (containsUnknown(trail.eventSelectors) || containsUnknown(trail.advancedEventSelectors)) return UNKNOWN;
    const basic = asList(trail.eventSelectors);
    const advanced = asList(trail.advancedEventSelectors);
    if (basic === UNKNOWN || advanced === UNKNOWN) return UNKNOWN;
    return basic.some((s) => basicCovers(s, bucket)) || advanced.some((s) => advancedCovers(s, bucket));
}

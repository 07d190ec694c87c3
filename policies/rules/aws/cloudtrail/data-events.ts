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

/** Whether one selector covers a bucket, given the bucket's ARN forms ({@link bucketArns}). */
type Matcher = (arns: readonly string[]) => boolean;
const NEVER: Matcher = () => false;
const ALWAYS: Matcher = () => true;

function basicMatcher(selector: unknown): Matcher {
    const rw = get(selector, "readWriteType");
    if (rw !== undefined && rw !== "All") return NEVER;
    const resources = asList(get(selector, "dataResources"));
    if (resources === UNKNOWN) return NEVER;
    const values = resources.filter((d) => get(d, "type") === "AWS::S3::Object").flatMap((d) => strings(get(d, "values")));
    if (values.some((v) => ALL_S3.test(v))) return ALWAYS;
    const exact = new Set(values);
    return (arns) => arns.some((a) => exact.has(a));
}

/**
 * An advanced field selector's operator values. @pulumi/aws names the list operators in the plural
 * (`startsWiths`, `notStartsWiths`, `endsWiths`, `notEndsWiths`); the CloudTrail API and raw
 * CloudFormation-style documents use the singular (`startsWith`). Both are read.
 */
function operator(selector: Readonly<Record<string, unknown>>, singular: string): string[] {
    return [...strings(selector[`${singular}s`]), ...strings(selector[singular])];
}

function advancedMatcher(selector: unknown): Matcher {
    const fields = asList(get(selector, "fieldSelectors"));
    if (fields === UNKNOWN) return NEVER;
    const by = new Map<string, Record<string, unknown>>();
    for (const f of fields) {
        const name = get(f, "field");
        if (typeof name === "string") by.set(name, f as Record<string, unknown>);
    }
    if (!strings(by.get("eventCategory")?.equals).includes("Data")) return NEVER;
    if (!strings(by.get("resources.type")?.equals).includes("AWS::S3::Object")) return NEVER;
    if (by.has("readOnly") || by.has("eventName")) return NEVER;
    const arn = by.get("resources.ARN");
    if (!arn) return ALWAYS;
    if (strings(arn.notEquals).length > 0) return NEVER;
    const notStarts = operator(arn, "notStartsWith");
    const starts = operator(arn, "startsWith");
    const unconstrained = starts.length === 0 && strings(arn.equals).length === 0 && operator(arn, "endsWith").length === 0;
    const startsAll = starts.some((p) => ALL_S3.test(p));
    const exact = new Set(starts);
    return (arns) => {
        if (notStarts.some((p) => arns.some((a) => a.startsWith(p) || p.startsWith(a)))) return false;
        return unconstrained || startsAll || arns.some((a) => exact.has(a));
    };
}

/** True / false if the trail's selectors are known to cover / not cover the bucket; UNKNOWN if they are not known. */
export function trailCoversBucket(trail: Readonly<Record<string, unknown>>, bucket: string): Maybe<boolean> {
    return trailCoverage(trail)(bucket);
}

/**
 * {@link trailCoversBucket} for one trail and any bucket: the trail's selectors are read once, so
 * checking many buckets costs a few set lookups each.
 */
export function trailCoverage(trail: Readonly<Record<string, unknown>>): (bucket: string) => Maybe<boolean> {
    if (containsUnknown(trail.eventSelectors) || containsUnknown(trail.advancedEventSelectors)) return () => UNKNOWN;
    const basic = asList(trail.eventSelectors);
    const advanced = asList(trail.advancedEventSelectors);
    if (basic === UNKNOWN || advanced === UNKNOWN) return () => UNKNOWN;
    const matchers = [...basic.map(basicMatcher), ...advanced.map(advancedMatcher)];
    return (bucket) => {
        const arns = bucketArns(bucket);
        return matchers.some((m) => m(arns));
    };
}

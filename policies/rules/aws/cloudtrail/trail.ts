/** The CloudTrail trail type token. */
export const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";

/** The CloudTrail trail type token. */
import * as aws from "@pulumi/aws";
import { typeToken } from "../../../framework/rule";
export const TRAIL_TYPE = typeToken(aws.cloudtrail.Trail);

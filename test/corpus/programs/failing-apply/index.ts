import * as aws from "@pulumi/aws";

const bucket = new aws.s3.Bucket("data");
console.log("this line is the program's own output");
export const name = bucket.bucket.apply((b) => {
    if (!b.startsWith("prod-")) throw new Error(`bucket ${b} must be named prod-*`);
    return b;
});

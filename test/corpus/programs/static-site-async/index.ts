import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

// Written the way many public examples are: everything inside an exported async function.
export = async () => {
    const config = new pulumi.Config();
    const siteDir = config.require("siteDir");
    const indexDocument = config.get("indexDocument") ?? "index.html";

    const siteBucket = new aws.s3.Bucket("site-bucket", { forceDestroy: true });
    new aws.s3.BucketWebsiteConfiguration("site", { bucket: siteBucket.id, indexDocument: { suffix: indexDocument } });
    const pab = new aws.s3.BucketPublicAccessBlock("site-pab", { bucket: siteBucket.id, blockPublicAcls: false, blockPublicPolicy: false });

    for (const file of fs.readdirSync(siteDir)) {
        new aws.s3.BucketObject(file, { bucket: siteBucket.id, source: new pulumi.asset.FileAsset(path.join(siteDir, file)), contentType: file.endsWith(".html") ? "text/html" : "text/css" });
    }
    new aws.s3.BucketPolicy("site-policy", {
        bucket: siteBucket.id,
        policy: siteBucket.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: [`${arn}/*`] }] })),
    }, { dependsOn: [pab] });

    console.log(`uploading ${fs.readdirSync(siteDir).length} files from ${siteDir}`);
    return { bucketName: siteBucket.bucket, websiteUrl: pulumi.interpolate`http://${siteBucket.bucket}.s3-website.eu-west-2.amazonaws.com` };
};

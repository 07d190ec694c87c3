import * as aws from "@pulumi/aws";

const uploads = new aws.s3.Bucket("uploads", { tags: { Name: "uploads" } });
const table = new aws.dynamodb.Table("index", { attributes: [{ name: "key", type: "S" }], hashKey: "key", billingMode: "PAY_PER_REQUEST" });

// An inline handler: Pulumi serializes this closure (and what it captures) into the Lambda's code.
const tableName = table.name;
uploads.onObjectCreated("on-upload", async (event) => {
    const records = event.Records ?? [];
    console.log(`indexing ${records.length} objects into ${tableName.get()}`);
});

export const handlerBucket = uploads.bucket;

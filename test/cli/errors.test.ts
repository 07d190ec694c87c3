/** The CLI's errors share common/errors' base: a stable code, the cause kept, one way to render them. */
import { describe, expect, it } from "vitest";
import { AiguardError, describeError } from "../../common/errors";
import { UsageError } from "../../cli/errors";
import { UnmockedCallError } from "../../offline/recording-mocks";

describe("CLI errors", () => {
    it("a usage error is an AiguardError with code usage, its fix and its cause", () => {
        const cause = new Error("ENOENT: no such file");
        const err = new UsageError("cannot read x.json", "pass an existing file", { cause });
        expect(err).toBeInstanceOf(AiguardError);
        expect([err.code, err.name, err.fix, err.cause]).toEqual(["usage", "UsageError", "pass an existing file", cause]);
        expect(describeError(err)).toBe("cannot read x.json (ENOENT: no such file)");
    });

    it("an offline run's unanswered provider call is an AiguardError with code unmocked-call", () => {
        const err = new UnmockedCallError("aws:ec2/getAmi:getAmi");
        expect(err).toBeInstanceOf(AiguardError);
        expect([err.code, err.name, err.token]).toEqual(["unmocked-call", "UnmockedCallError", "aws:ec2/getAmi:getAmi"]);
    });
});

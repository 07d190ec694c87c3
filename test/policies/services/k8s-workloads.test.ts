import { describe, expect, it } from "vitest";
import { UNKNOWN, type Rule, type RuleResource } from "../../../policies/framework/rule";
import { kubernetesPodEnforceDropAllCapabilities } from "../../../policies/rules/kubernetes/core/pod-enforce-drop-all-capabilities";
import { kubernetesPodDisallowHostNamespaces } from "../../../policies/rules/kubernetes/core/pod-disallow-host-namespaces";
import { kubernetesPodDisallowHostPath } from "../../../policies/rules/kubernetes/core/pod-disallow-host-path";
import { kubernetesPodEnforceImageDigest } from "../../../policies/rules/kubernetes/core/pod-enforce-image-digest";
import { kubernetesPodDisallowUnapprovedRegistry } from "../../../policies/rules/kubernetes/core/pod-disallow-unapproved-registry";
import { kubernetesPodDisallowPrivilegeEscalation } from "../../../policies/rules/kubernetes/core/pod-disallow-privilege-escalation";
import { kubernetesPodDisallowPrivileged } from "../../../policies/rules/kubernetes/core/pod-disallow-privileged";
import { kubernetesPodEnforceReadOnlyRootFilesystem } from "../../../policies/rules/kubernetes/core/pod-enforce-read-only-root-filesystem";
import { kubernetesPodMissingResourceLimits } from "../../../policies/rules/kubernetes/core/pod-missing-resource-limits";
import { kubernetesPodEnforceRunAsNonRoot } from "../../../policies/rules/kubernetes/core/pod-enforce-run-as-non-root";
import { podSpecOf } from "../../../policies/rules/kubernetes/pod-spec";
import { DIGEST, expectOne, res, runStack, withField } from "../support";
import { CRONJOB, DEPLOYMENT, deployment, hardenedContainer, k8sStack, modelNamespace, NS, POD, podSpec } from "./k8s-fixtures";

const POD_RULES: Rule[] = [
    kubernetesPodEnforceImageDigest,
    kubernetesPodDisallowUnapprovedRegistry,
    kubernetesPodDisallowPrivileged,
    kubernetesPodDisallowPrivilegeEscalation,
    kubernetesPodDisallowHostNamespaces,
    kubernetesPodDisallowHostPath,
    kubernetesPodEnforceRunAsNonRoot,
    kubernetesPodEnforceReadOnlyRootFilesystem,
    kubernetesPodMissingResourceLimits,
    kubernetesPodEnforceDropAllCapabilities,
];

const T = "spec.template.spec";
/** The compliant stack with one field of the Deployment "server" changed (path relative to the resource props). */
const editDeployment = (path: string, value: unknown): RuleResource[] =>
    k8sStack().map((r) => (r.type === DEPLOYMENT ? { ...r, props: withField(r.props, path, value) } : r));

describe("pod-spec extractor", () => {
    it("finds containers, init and ephemeral containers with their paths in every workload kind", () => {
        const spec = { ...podSpec(), ephemeralContainers: [{ name: "debug", image: "busybox" }] };
        const kinds: [string, Record<string, unknown>, string][] = [
            [POD, { spec }, "spec"],
            ["kubernetes:core/v1:PodTemplate", { template: { spec } }, "template.spec"],
            ["kubernetes:core/v1:ReplicationController", { spec: { template: { spec } } }, "spec.template.spec"],
            [DEPLOYMENT, { spec: { template: { spec } } }, "spec.template.spec"],
            ["kubernetes:apps/v1:StatefulSet", { spec: { template: { spec } } }, "spec.template.spec"],
            ["kubernetes:apps/v1:DaemonSet", { spec: { template: { spec } } }, "spec.template.spec"],
            ["kubernetes:apps/v1:ReplicaSet", { spec: { template: { spec } } }, "spec.template.spec"],
            ["kubernetes:batch/v1:Job", { spec: { template: { spec } } }, "spec.template.spec"],
            [CRONJOB, { spec: { jobTemplate: { spec: { template: { spec } } } } }, "spec.jobTemplate.spec.template.spec"],
        ];
        for (const [type, props, path] of kinds) {
            const view = podSpecOf(res(type, "w", props));
            expect(view, type).not.toBe(UNKNOWN);
            if (!view || view === UNKNOWN) throw new Error(type);
            expect(view.path).toBe(path);
            expect(view.containers.map((c) => c.path)).toEqual([`${path}.containers[0]`, `${path}.initContainers[0]`, `${path}.ephemeralContainers[0]`]);
        }
    });
    it("returns UNKNOWN for an unknown spec, undefined for non-workloads, and skips unknown container entries", () => {
        expect(podSpecOf(res(DEPLOYMENT, "w", { spec: UNKNOWN }))).toBe(UNKNOWN);
        expect(podSpecOf(res(DEPLOYMENT, "w", { spec: { template: UNKNOWN } }))).toBe(UNKNOWN);
        expect(podSpecOf(res(NS, "n", { metadata: {} }))).toBeUndefined();
        const view = podSpecOf(res(POD, "p", { spec: { containers: [UNKNOWN, { name: "a" }], initContainers: UNKNOWN } }));
        expect(view !== UNKNOWN && view?.containers.map((c) => c.path)).toEqual(["spec.containers[1]"]);
    });
});

describe("pod rules pass the compliant stack", () => {
    it.each(POD_RULES.map((r) => [r.name, r] as const))("%s", (_n, rule) => expect(runStack(rule, k8sStack())).toEqual([]));
});

/** [rule, path in the Deployment, value, expected field path in the message, message substring] */
const cases: [Rule, string, unknown, string, string][] = [
    [kubernetesPodEnforceImageDigest, `${T}.containers[0].image`, "nginx:1.27", `${T}.containers[0].image`, "not pinned by digest"],
    [kubernetesPodEnforceImageDigest, `${T}.initContainers[0].image`, "123456789012.dkr.ecr.eu-west-2.amazonaws.com/m:latest", `${T}.initContainers[0].image`, "not pinned by digest"],
    [kubernetesPodEnforceImageDigest, `${T}.ephemeralContainers`, [{ name: "dbg", image: "busybox" }], `${T}.ephemeralContainers[0].image`, "not pinned by digest"],
    [kubernetesPodDisallowUnapprovedRegistry, `${T}.containers[0].image`, `evil.com/123456789012.dkr.ecr.eu-west-2.amazonaws.com/m@${DIGEST}`, `${T}.containers[0].image`, 'comes from "evil.com/'],
    [kubernetesPodDisallowUnapprovedRegistry, `${T}.initContainers[0].image`, `busybox@${DIGEST}`, `${T}.initContainers[0].image`, '"docker.io/library/busybox"'],
    [kubernetesPodDisallowPrivileged, `${T}.containers[0].securityContext.privileged`, true, `${T}.containers[0].securityContext.privileged`, "runs privileged"],
    [kubernetesPodDisallowPrivilegeEscalation, `${T}.containers[0].securityContext.allowPrivilegeEscalation`, true, `${T}.containers[0].securityContext.allowPrivilegeEscalation`, "privilege escalation is allowed"],
    [kubernetesPodDisallowPrivilegeEscalation, `${T}.initContainers[0].securityContext.allowPrivilegeEscalation`, undefined, `${T}.initContainers[0].securityContext.allowPrivilegeEscalation`, "defaults to true"],
    [kubernetesPodDisallowHostNamespaces, `${T}.hostNetwork`, true, `${T}.hostNetwork`, "hostNetwork is true"],
    [kubernetesPodDisallowHostNamespaces, `${T}.hostPID`, true, `${T}.hostPID`, "hostPID is true"],
    [kubernetesPodDisallowHostNamespaces, `${T}.hostIPC`, true, `${T}.hostIPC`, "hostIPC is true"],
    [kubernetesPodDisallowHostPath, `${T}.volumes[0]`, { name: "root", hostPath: { path: "/" } }, `${T}.volumes[0].hostPath`, 'mounts the host path "/"'],
    [kubernetesPodEnforceRunAsNonRoot, `${T}.initContainers[0].securityContext.runAsNonRoot`, false, `${T}.initContainers[0].securityContext.runAsNonRoot`, "runAsNonRoot is false"],
    [kubernetesPodEnforceRunAsNonRoot, `${T}.containers[0].securityContext.runAsNonRoot`, false, `${T}.containers[0].securityContext.runAsNonRoot`, "runAsNonRoot is false"],
    [kubernetesPodEnforceRunAsNonRoot, `${T}.initContainers[0].securityContext.runAsUser`, 0, `${T}.initContainers[0].securityContext.runAsUser`, "runAsUser is 0 (root)"],
    [kubernetesPodEnforceReadOnlyRootFilesystem, `${T}.containers[0].securityContext.readOnlyRootFilesystem`, false, `${T}.containers[0].securityContext.readOnlyRootFilesystem`, "writable; set it to true"],
    [kubernetesPodEnforceReadOnlyRootFilesystem, `${T}.initContainers[0].securityContext.readOnlyRootFilesystem`, undefined, `${T}.initContainers[0].securityContext.readOnlyRootFilesystem`, "is not set"],
    [kubernetesPodMissingResourceLimits, `${T}.containers[0].resources.limits.memory`, undefined, `${T}.containers[0].resources.limits.memory`, "no memory limit"],
    [kubernetesPodMissingResourceLimits, `${T}.initContainers[0].resources.limits.cpu`, "", `${T}.initContainers[0].resources.limits.cpu`, "no cpu limit"],
    [kubernetesPodEnforceDropAllCapabilities, `${T}.containers[0].securityContext.capabilities.drop`, ["NET_RAW"], `${T}.containers[0].securityContext.capabilities.drop`, 'does not contain "ALL"'],
    [kubernetesPodEnforceDropAllCapabilities, `${T}.containers[0].securityContext.capabilities.add`, ["NET_BIND_SERVICE", "SYS_ADMIN"], `${T}.containers[0].securityContext.capabilities.add[1]`, "adds capability SYS_ADMIN"],
];

describe("pod rules: one changed field, one exact finding with its field path", () => {
    it.each(cases.map(([r, p, v, fp, m]) => [r.name, p, JSON.stringify(v) ?? "undefined", r, v, fp, m] as const))("%s: %s = %s", (_n, path, _s, rule, value, fieldPath, msg) => {
        const deploymentUrn = deployment().urn;
        expectOne(runStack(rule, editDeployment(path, value)), [`${fieldPath}: `, msg, '(Deployment "server" in namespace "models")'], deploymentUrn);
    });
    it.each(cases.map(([r, p]) => [r.name, p, r] as const))("%s: %s unknown → no finding, no throw", (_n, path, rule) => {
        expect(runStack(rule, editDeployment(path, UNKNOWN))).toEqual([]);
    });
});

describe("pod rules: scope and unknowns", () => {
    const bad = (namespace: string) => {
        const d = deployment("bad", namespace);
        return { ...d, props: withField(d.props, `${T}.containers[0].securityContext.privileged`, true) };
    };
    it("judges every workload by default, in any namespace, declared in the stack or not", () => {
        const plain = { ...modelNamespace("tools"), props: { metadata: { name: "tools", labels: {} } } };
        expect(runStack(kubernetesPodDisallowPrivileged, [...k8sStack(), plain, bad("tools"), bad("elsewhere")])).toHaveLength(2);
        const noNs = { ...bad("x"), props: withField(bad("x").props, "metadata.namespace", undefined) };
        expectOne(runStack(kubernetesPodDisallowPrivileged, [...k8sStack(), noNs]), ['in namespace "default"']);
    });
    it("leaves out a workload or namespace declared out of scope with a justification, and only then", () => {
        const justification = { "aiguard.io/scope-justification": "CNI agent: needs host networking by design (PLAT-12)" };
        const addons = { ...modelNamespace("kube-system"), props: { metadata: { name: "kube-system", labels: { "aiguard.io/scope": "excluded" }, annotations: justification } } };
        expect(runStack(kubernetesPodDisallowPrivileged, [addons, bad("kube-system")])).toEqual([]);
        const unjustified = { ...addons, props: { metadata: { name: "kube-system", labels: { "aiguard.io/scope": "excluded" } } } };
        expect(runStack(kubernetesPodDisallowPrivileged, [unjustified, bad("kube-system")])).toHaveLength(1);
        const self = bad("tools");
        const labelled = { ...self, props: withField(withField(self.props, "metadata.labels", { "aiguard.io/scope": "excluded" }), "metadata.annotations", justification) };
        expect(runStack(kubernetesPodDisallowPrivileged, [labelled])).toEqual([]);
    });
    it("under scope ai-assets judges model namespaces (by the label from settings, or by what runs there) and model workloads", () => {
        const aiOnly = { scope: "ai-assets" as const };
        const custom = { ...modelNamespace("serving"), props: { metadata: { name: "serving", labels: { tier: "model" } } } };
        expect(runStack(kubernetesPodDisallowPrivileged, [custom, bad("serving")], aiOnly)).toEqual([]);
        expect(runStack(kubernetesPodDisallowPrivileged, [custom, bad("serving")], { ...aiOnly, modelNamespaceLabel: { key: "tier", value: "model" } })).toHaveLength(1);
        // A GPU request makes it a model workload, and its namespace a model namespace, without any label.
        const gpu = { ...bad("serving"), props: withField(bad("serving").props, `${T}.containers[0].resources.limits`, { "nvidia.com/gpu": "1", cpu: "4", memory: "16Gi" }) };
        expect(runStack(kubernetesPodDisallowPrivileged, [custom, gpu], aiOnly)).toHaveLength(1);
    });
    it("checks CronJob pod templates at their own path", () => {
        const stack = k8sStack().map((r) => (r.type === CRONJOB ? { ...r, props: withField(r.props, "spec.jobTemplate.spec.template.spec.hostPID", true) } : r));
        expectOne(runStack(kubernetesPodDisallowHostNamespaces, stack), ["spec.jobTemplate.spec.template.spec.hostPID: ", 'CronJob "retrain"']);
    });
    it("a container's runAsNonRoot true overrides the pod's false", () => {
        const stack = editDeployment(`${T}.securityContext.runAsNonRoot`, false).map((r) =>
            r.type === DEPLOYMENT ? { ...r, props: withField(withField(r.props, `${T}.containers[0].securityContext.runAsNonRoot`, true), `${T}.initContainers[0].securityContext.runAsNonRoot`, true) } : r,
        );
        expect(runStack(kubernetesPodEnforceRunAsNonRoot, stack)).toEqual([]);
    });
    it("ephemeral containers need no resource limits (the API forbids them)", () => {
        expect(runStack(kubernetesPodMissingResourceLimits, editDeployment(`${T}.ephemeralContainers`, [{ ...hardenedContainer("dbg"), resources: undefined }]))).toEqual([]);
    });
    it("runAsNonRoot set nowhere is reported for every container", () => {
        const findings = runStack(kubernetesPodEnforceRunAsNonRoot, editDeployment(`${T}.securityContext.runAsNonRoot`, undefined));
        expect(findings.map((f) => f.message.split(": ")[0])).toEqual([`${T}.containers[0].securityContext.runAsNonRoot`, `${T}.initContainers[0].securityContext.runAsNonRoot`]);
    });

    /** A Deployment in the model namespace that breaks every pod rule. */
    const allBad = () =>
        res(DEPLOYMENT, "all-bad", {
            metadata: { name: "all-bad", namespace: "models" },
            spec: {
                template: {
                    spec: {
                        hostNetwork: true,
                        volumes: [{ name: "host", hostPath: { path: "/var/run" } }],
                        containers: [{ name: "c", image: "nginx:latest", securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false, readOnlyRootFilesystem: false } }],
                    },
                },
            },
        });
    it.each(POD_RULES.map((r) => [r.name, r] as const))("%s: reports the all-bad workload, nothing once its spec is unknown, and still reports when its namespace or the namespace's labels are unknown", (_n, rule) => {
        const reported = runStack(rule, [modelNamespace(), allBad()]).length;
        expect(reported).toBeGreaterThan(0);
        for (const path of ["spec", "spec.template", T]) {
            const d = allBad();
            expect(runStack(rule, [modelNamespace(), { ...d, props: withField(d.props, path, UNKNOWN) }]), path).toEqual([]);
        }
        const d = allBad();
        expect(runStack(rule, [modelNamespace(), { ...d, props: withField(d.props, "metadata.namespace", UNKNOWN) }]).length).toBe(reported);
        const unknownLabels = { ...modelNamespace(), props: { metadata: { name: "models", labels: UNKNOWN } } };
        const unknownName = { ...modelNamespace(), props: { metadata: { name: UNKNOWN, labels: { "aiguard.io/model-serving": "true" } } } };
        expect(runStack(rule, [unknownLabels, allBad()]).length).toBe(reported);
        expect(runStack(rule, [unknownName, allBad()]).length).toBe(reported);
    });
});

import * as k8s from "@pulumi/kubernetes";

const ns = new k8s.core.v1.Namespace("serving", { metadata: { name: "serving" } });

new k8s.helm.v3.Chart("ingress-nginx", {
    chart: "ingress-nginx",
    version: "4.11.3",
    fetchOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
    namespace: "serving",
});
new k8s.helm.v4.Chart("vllm", { chart: "oci://ghcr.io/example/charts/vllm", namespace: "serving" });
new k8s.yaml.ConfigFile("settings", { file: "manifests/config.yaml" });

new k8s.apps.v1.Deployment("llm", {
    metadata: { namespace: ns.metadata.name },
    spec: {
        selector: { matchLabels: { app: "llm" } },
        template: {
            metadata: { labels: { app: "llm" } },
            spec: { containers: [{ name: "server", image: "vllm/vllm-openai:latest", securityContext: { privileged: true } }] },
        },
    },
});

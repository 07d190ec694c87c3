/** Media types and annotation keys of the OCI/Docker and cosign/sigstore wire formats. */

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_EMPTY = "application/vnd.oci.empty.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

/** The `Accept` header for manifest requests: every manifest/index type the engine understands. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(", ");

/** cosign's legacy signature layer. */
export const COSIGN_SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
/** Annotations on a legacy signature layer. */
export const COSIGN_SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const COSIGN_CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
export const COSIGN_CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
export const COSIGN_BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
export const COSIGN_RFC3161_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";
/** The `type` field of a legacy simple-signing payload. */
export const COSIGN_PAYLOAD_TYPE = "cosign container image signature";

/** A sigstore bundle (cosign v3 attaches these as OCI referrers). */
export const SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
/** The in-toto predicate type cosign v3 uses for image signatures. */
export const COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

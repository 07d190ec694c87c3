/**
 * The admission webhook's verification (DP-2, DV-1, DV-3, P7, P8): trust-policy loading,
 * image-reference parsing, a bounded Distribution-v2 client, cosign legacy and sigstore-bundle
 * signature verification, and the admission decision. Pure with respect to HTTP serving.
 */
export * from "./types";
export * from "./errors";
export { parseReference, tryParseReference, formatReference, pinnedFormHint, normaliseRegistryHost, apiHost, DOCKER_HUB, type ImageReference } from "../../common/image-reference";
export { compileGlob, matchGlob, globProblem, type ImageGlob } from "./policy/image-glob";
export { selectorMatches, type LabelSelector, type LabelSelectorRequirement } from "../../common/label-selector";
export { loadPolicy, loadPolicyFile, parsePublicKey, type LoadPolicyOptions } from "./policy/load";
export { API_VERSION, KIND } from "./policy/schema";
export type * from "./policy/types";
export { RegistryClient, DEFAULT_LIMITS, type RegistryClientOptions, type RegistryLimits, type RegistryRequestEvent, type RepositoryRef, type RequestContext, type FetchedManifest } from "./registry/client";
export { listReferrers, referrersTag } from "./registry/referrers";
export { EcrCredentialSource, parseEcrHost, ecrAccessHint, validateEcrEndpoint, DEFAULT_REFRESH_MARGIN_MS, type EcrCredentialOptions, type EcrCredentialsMode, type EcrHostMatcher, type EcrRegistry, type EcrTokenEvent } from "./registry/ecr";
export { legacySignatureTag } from "./signatures/legacy";
export { BoundedCache, SingleFlightCache, type CacheOptions } from "./cache";
export { FairLimiter, Lane, DEFAULT_REGISTRY_CONCURRENCY } from "./limiter";
export { planDecision, policiesInScope, matchingPolicies, type DecisionPlan, type PlannedImage, type VerificationJob } from "./plan";
export { verdict, type JobResult } from "./verdict";
export { checkImage, type ImageOutcome } from "./check";
export { ImageVerifier, type ImageVerifierOptions, type ImageVerification, type VerifierHooks } from "./verify";

/** aiguard components: `aws` (hardened AI infrastructure on AWS). */
export * as aws from "./aws";

/**
 * Clause IDs of the two documents aiguard enforces (see the project's guidelines summary):
 * the NCSC/CISA "Guidelines for Secure AI System Development" (2023) and the UK "Code of Practice
 * for the Cyber Security of AI" (DSIT, 2025).
 */
export interface Clause {
    readonly id: string;
    readonly document: "ncsc-cisa" | "uk-code";
    readonly stage: string;
    readonly title: string;
    /** Whether infrastructure code can enforce (part of) it; organisational clauses cannot. */
    readonly enforceable: boolean;
}

const ncsc = (id: string, stage: string, title: string, enforceable: boolean): Clause => ({ id, document: "ncsc-cisa", stage, title, enforceable });
const uk = (id: string, stage: string, title: string, enforceable: boolean): Clause => ({ id, document: "uk-code", stage, title, enforceable });

export const CLAUSES = [
    ncsc("SD-1", "Secure design", "Raise staff awareness of AI threats and risks", false),
    ncsc("SD-2", "Secure design", "Model the threats to the system", false),
    ncsc("SD-3", "Secure design", "Design for security as well as functionality and performance", true),
    ncsc("SD-4", "Secure design", "Weigh security when choosing model, architecture, hyperparameters, external APIs", false),
    ncsc("DV-1", "Secure development", "Secure the supply chain", true),
    ncsc("DV-2", "Secure development", "Identify, track and protect assets", true),
    ncsc("DV-3", "Secure development", "Document data, models and prompts, incl. hashes or signatures", true),
    ncsc("DV-4", "Secure development", "Manage technical debt, incl. decommissioning plans", false),
    ncsc("DP-1", "Secure deployment", "Secure the infrastructure; segregate environments", true),
    ncsc("DP-2", "Secure deployment", "Protect the model continuously; validate by hash or signature", true),
    ncsc("DP-3", "Secure deployment", "Incident management; offline backups", true),
    ncsc("DP-4", "Secure deployment", "Release responsibly, after security evaluation", true),
    ncsc("DP-5", "Secure deployment", "Make the right thing easy: secure settings by default", true),
    ncsc("OM-1", "Operation & maintenance", "Monitor system behaviour", true),
    ncsc("OM-2", "Operation & maintenance", "Monitor inputs", true),
    ncsc("OM-3", "Operation & maintenance", "Secure-by-design updates", true),
    ncsc("OM-4", "Operation & maintenance", "Collect and share lessons learned", false),
    uk("P1", "Design", "Raise awareness of AI security threats and risks", false),
    uk("P2", "Design", "Design the AI system for security as well as functionality and performance", true),
    uk("P3", "Design", "Evaluate the threats and manage the risks", false),
    uk("P4", "Design", "Enable human responsibility for AI systems", false),
    uk("P5", "Development", "Identify, track and protect assets", true),
    uk("P6", "Development", "Secure the infrastructure", true),
    uk("P7", "Development", "Secure the supply chain", true),
    uk("P8", "Development", "Document data, models and prompts", true),
    uk("P9", "Development", "Conduct appropriate testing and evaluation before release", true),
    uk("P10", "Deployment", "Communication and processes with end users and affected entities", false),
    uk("P11", "Maintenance", "Maintain regular security updates, patches and mitigations", true),
    uk("P12", "Maintenance", "Monitor the system's behaviour", true),
    uk("P13", "End of life", "Ensure proper data and model disposal", true),
] as const satisfies readonly Clause[];

export type ClauseId = (typeof CLAUSES)[number]["id"];

export const CLAUSE_IDS: ReadonlySet<string> = new Set(CLAUSES.map((c) => c.id));

export function clause(id: ClauseId): Clause {
    return CLAUSES.find((c) => c.id === id)!;
}

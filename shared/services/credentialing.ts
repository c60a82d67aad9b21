/**
 * The credentialing file's services wired to their adapters, once: the credentialing function,
 * the monthly monitoring schedule and the demo seed share them.
 */
import {
  decisionRepository,
  flagRepository,
  monitoringRunRepository,
  verificationRepository,
} from '#data/credentialing.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3EvidenceStore } from '#data/evidence.ts';
import { exclusionRepository } from '#data/leie.ts';
import { nppesRegistry } from '#data/nppes.ts';
import { samExclusions } from '#data/sam.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { cycleRulesWith } from '#domain/credentialing/cycle.ts';
import { createDecisionService } from '#domain/credentialing/decisions.ts';
import { createLeieImporter, createLeieSource } from '#domain/credentialing/leie.ts';
import { createExclusionMonitoring } from '#domain/credentialing/monitoring.ts';
import { createNppesSource } from '#domain/credentialing/nppes.ts';
import { createRecredentialingSweep } from '#domain/credentialing/recredentialing.ts';
import { createSamSource } from '#domain/credentialing/sam.ts';

import { createVerificationService } from '#domain/credentialing/verifications.ts';
import { optionalEnv } from '#runtime/config.ts';

export const verificationService = /* @__PURE__ */ createVerificationService({
  verifications: verificationRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
});

// SAM.gov only where a deployment gave it an API key (off by default).
const sam = samExclusions();

export const checkService = /* @__PURE__ */ createCheckService({
  verifications: verificationRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
  evidence: s3EvidenceStore,
  sources: {
    nppes: createNppesSource(nppesRegistry()),
    leie: createLeieSource(exclusionRepository),
    ...(sam ? { sam: createSamSource(sam) } : {}),
  },
});

export const decisionService = /* @__PURE__ */ createDecisionService({
  decisions: decisionRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
  verifications: verificationRepository,
  flags: flagRepository,
  rules: cycleRulesWith(optionalEnv('verificationMaxAgeDays')),
});

export const exclusionMonitoring = /* @__PURE__ */ createExclusionMonitoring({
  profiles: staffProfileRepository,
  checks: checkService,
  runs: monitoringRunRepository,
  flags: flagRepository,
  sources: sam ? ['leie', 'sam'] : ['leie'],
});

export const recredentialingSweep = /* @__PURE__ */ createRecredentialingSweep({
  profiles: staffProfileRepository,
});

/** The monthly download's importer (the CLI `npm run leie:import` wires its own, against any deployment). */
export const leieImporter = /* @__PURE__ */ createLeieImporter(exclusionRepository);

import { z } from 'zod';

/** Why a person made a change that is audited: required wherever posture changes. */
export const reason = z.string().trim().min(3, 'Say why, in a few words').max(500);

// The database declares the stored policy document's shape on its own (db/ imports nothing from
// server/); these two assignments fail to compile the day the zod model and that shape part.
import type { StoredPolicyDocument } from '@/db/schema/policies';
import type { PolicyDocument } from './model';

export const toStored = (d: PolicyDocument): StoredPolicyDocument => d;
export const fromStored = (d: StoredPolicyDocument): PolicyDocument => d;

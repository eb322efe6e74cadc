// A refused sign-in, as the detection engine counts it: 401 (wrong credentials) and 423
// (the account is locked after earlier misses; a guessing tool keeps going against the lock,
// and counting only 401 saw ten tries where there were hundreds).
export function isRefused(status: number): boolean {
  return status === 401 || status === 423;
}

import { describe, expect, it } from 'vitest';
import { loadConfig, oidcEnabled } from './config';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ MESHWARD_DATA_DIR: './data', MESHWARD_RETENTION_DAYS: 90, MESHWARD_SESSION_HOURS: 8, MESHWARD_SIMULATOR: false });
    expect(c).toMatchObject({ MESHWARD_SIMULATOR_RATE: 10, MESHWARD_SIMULATOR_SEED: 1 });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(oidcEnabled(c)).toBe(false);
  });
  it('reads values and switches', () => {
    const c = loadConfig({ MESHWARD_RETENTION_DAYS: '30', MESHWARD_SIMULATOR: 'off', DATABASE_URL: 'postgres://u@h/db', MESHWARD_INGEST_MAX_BYTES: '' });
    expect(c).toMatchObject({ MESHWARD_RETENTION_DAYS: 30, MESHWARD_SIMULATOR: false, DATABASE_URL: 'postgres://u@h/db', MESHWARD_INGEST_MAX_BYTES: 8 * 1024 * 1024 });
    const sim = loadConfig({ MESHWARD_SIMULATOR: 'on', MESHWARD_SIMULATOR_RATE: '2.5', MESHWARD_SIMULATOR_SEED: '42' });
    expect(sim).toMatchObject({ MESHWARD_SIMULATOR: true, MESHWARD_SIMULATOR_RATE: 2.5, MESHWARD_SIMULATOR_SEED: 42 });
  });
  it('bounds telemetry in flight and keeps /metrics off the main port unless a token is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ MESHWARD_INGEST_INFLIGHT_BYTES: 256 * 1024 * 1024, MESHWARD_INGEST_MAX_BODIES: 64 });
    expect(c.MESHWARD_METRICS_TOKEN).toBeUndefined();
    expect(c.MESHWARD_METRICS_LISTEN).toBeUndefined();
    expect(loadConfig({ MESHWARD_METRICS_LISTEN: '127.0.0.1:9464' }).MESHWARD_METRICS_LISTEN).toBe('127.0.0.1:9464');
    expect(loadConfig({ MESHWARD_METRICS_LISTEN: '[::1]:9464' }).MESHWARD_METRICS_LISTEN).toBe('[::1]:9464');
    expect(() => loadConfig({ MESHWARD_METRICS_LISTEN: '9464' })).toThrow(/host:port/);
    expect(() => loadConfig({ MESHWARD_METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    // the largest body, inflated 8× and being parsed, must fit, or it could never be accepted
    expect(() => loadConfig({ MESHWARD_INGEST_MAX_BYTES: String(16 * 1024 * 1024) })).toThrow(/MESHWARD_INGEST_INFLIGHT_BYTES .* must be at least 402653184/);
    expect(loadConfig({ MESHWARD_INGEST_MAX_BYTES: String(16 * 1024 * 1024), MESHWARD_INGEST_INFLIGHT_BYTES: String(512 * 1024 * 1024) }).MESHWARD_INGEST_MAX_BYTES).toBe(16 * 1024 * 1024);
  });
  it('explains what is wrong', () => {
    expect(() => loadConfig({ MESHWARD_RETENTION_DAYS: 'ninety' })).toThrow(/MESHWARD_RETENTION_DAYS/);
    expect(() => loadConfig({ MESHWARD_ADMIN_PASSWORD: 'short' })).toThrow(/at least 12/);
    expect(() => loadConfig({ MESHWARD_SIMULATOR: 'maybe' })).toThrow(/MESHWARD_SIMULATOR/);
    expect(() => loadConfig({ MESHWARD_SIMULATOR_RATE: '0' })).toThrow(/MESHWARD_SIMULATOR_RATE/);
    expect(() => loadConfig({ MESHWARD_SIMULATOR_SEED: '1.5' })).toThrow(/MESHWARD_SIMULATOR_SEED/);
    expect(() => loadConfig({ MESHWARD_OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC needs/);
    expect(oidcEnabled(loadConfig({ MESHWARD_OIDC_ISSUER: 'https://id.example', MESHWARD_OIDC_CLIENT_ID: 'c', MESHWARD_OIDC_CLIENT_SECRET: 's' }))).toBe(true);
  });
});

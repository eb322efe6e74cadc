/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Loaded from node_modules at run time rather than bundled: native or wasm parts, and
  // module-level state (metrics registry, database) that must exist once per process.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', '@node-rs/argon2', 'prom-client', 'pino', 'protobufjs', 'pdfkit'],
  async headers() {
    // The Content-Security-Policy (with a per-request nonce) is set in proxy.ts.
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;

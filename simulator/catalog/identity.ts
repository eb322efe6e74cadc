import type { ServiceDef } from './types';

/** Sign-in, accounts, sessions, second factors and identity verification. */
export const IDENTITY: ServiceDef[] = [
  {
    name: 'identity/auth',
    lang: 'go',
    replicas: 3,
    endpoints: [
      {
        route: 'POST /v1/login',
        kind: 'action',
        ms: 45, // password hashing
        in: ['email $.email', 'password $.password'],
        out: ['jwt $.access_token'],
        fail: [[401, 0.04]],
        calls: ['identity/users GET /v1/users/by-email/{email}', 'identity/mfa POST /v1/challenges ?0.1', 'identity/sessions POST /v1/sessions'],
      },
      {
        route: 'POST /oauth/token',
        kind: 'action',
        ms: 40,
        in: ['password $.password'],
        out: ['jwt $.access_token', 'jwt $.refresh_token'],
        fail: [[401, 0.04]],
        calls: ['identity/users GET /v1/users/by-email/{email}', 'identity/sessions POST /v1/sessions'],
      },
      { route: 'POST /oauth/refresh', kind: 'action', out: ['jwt $.access_token'], fail: [[401, 0.02]], calls: ['identity/sessions GET /v1/sessions/{sessionId}'] },
      { route: 'POST /v1/logout', kind: 'action', calls: ['identity/sessions DELETE /v1/sessions/{sessionId}'] },
      { route: 'GET /.well-known/jwks.json', ms: 1 },
      { route: 'POST /v1/introspect', kind: 'action', ms: 2 },
      { route: 'POST /v1/password/forgot', kind: 'action', in: ['email $.email'], calls: ['identity/users GET /v1/users/by-email/{email}', 'ops/notifications POST /v1/messages !'] },
      { route: 'POST /v1/password/reset/{resetToken:hex}', kind: 'action', in: ['password $.new_password'], fail: [[410, 0.1]] },
    ],
  },
  {
    name: 'identity/users',
    lang: 'java',
    replicas: 3,
    endpoints: [
      { route: 'GET /v1/users', query: 'page', auth: true, ms: 35, out: ['email $.items[*].email', 'phone $.items[*].phone'] },
      { route: 'POST /v1/users', in: ['email $.email', 'password $.password', 'phone $.phone'], fail: [[409, 0.05]] },
      { route: 'GET /v1/users/{userId:uuid}', auth: true, out: ['email $.email', 'phone $.phone'] },
      { route: 'PATCH /v1/users/{userId:uuid}', auth: true, in: ['phone $.phone'] },
      { route: 'GET /v1/users/by-email/{email:email}', ms: 4, out: ['email $.email'], fail: [[404, 0.03]] },
      { route: 'GET /v1/users/by-username/{username:user}', fail: [[404, 0.05]] },
      { route: 'GET /v1/users/{userId:uuid}/addresses', auth: true, out: ['phone $.items[*].phone'] },
      { route: 'POST /v1/users/{userId:uuid}/addresses', auth: true, in: ['phone $.phone'] },
      { route: 'DELETE /v1/users/{userId:uuid}/addresses/{addressId:int}', auth: true },
      { route: 'GET /v1/users/{userId:uuid}/preferences', auth: true },
      { route: 'GET /v1/users/{userId:uuid}/consents', auth: true },
    ],
  },
  {
    name: 'identity/sessions',
    lang: 'rust',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/sessions', ms: 3 },
      { route: 'GET /v1/sessions/{sessionId:hex}', ms: 1, fail: [[404, 0.02]] },
      { route: 'DELETE /v1/sessions/{sessionId:hex}', ms: 2 },
      { route: 'GET /v1/users/{userId:uuid}/sessions', auth: true },
      { route: 'DELETE /v1/users/{userId:uuid}/sessions', auth: true },
    ],
  },
  {
    name: 'identity/mfa',
    lang: 'go',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/challenges', out: ['phone $.destination'], calls: ['ops/notifications POST /v1/messages'] },
      { route: 'POST /v1/challenges/{challengeId:uuid}/verify', kind: 'action', fail: [[401, 0.05]] },
      { route: 'GET /v1/users/{userId:uuid}/factors', auth: true },
      { route: 'POST /v1/users/{userId:uuid}/factors/totp', auth: true },
      { route: 'DELETE /v1/users/{userId:uuid}/factors/{factorId:hex24}', auth: true },
    ],
  },
  {
    name: 'identity/kyc',
    lang: 'python',
    replicas: 2,
    endpoints: [
      { route: 'POST /v1/verifications', auth: true, in: ['ssn $.ssn', 'email $.email'], ms: 120 },
      { route: 'GET /v1/verifications/{verificationId:uuid}', auth: true, out: ['ssn $.subject.ssn'] },
      { route: 'POST /v1/verifications/{verificationId:uuid}/documents', auth: true, ms: 200 },
      { route: 'GET /v1/users/{userId:uuid}/verification', auth: true },
      { route: 'GET /v1/verifications/pending', auth: true, query: 'page', out: ['ssn $.items[*].ssn', 'email $.items[*].email'] },
    ],
  },
];

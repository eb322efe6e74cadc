// The sensitive-data classifier engine: built-in classes, custom classes, a streaming scanner per
// body and direction, and redaction. No Node APIs: the same code is bundled for nginx's njs
// (README "Running under njs", and njs.test.ts).
export { BUILTIN_CLASSES, BUILTIN_DESCRIPTIONS } from './classes';
export { compileCustomClasses, validateCustomClass } from './custom';
export { isIban, ibanCheckDigits } from './iban';
export { cardIssuer, isCardNumber, luhnValid } from './luhn';
export { redact, redactBody } from './redact';
export { classify, createScanner } from './scanner';
export type {
  ClassResult, CompiledCustomClass, CustomClassDef, Direction, PathCount, ScanOptions, ScanResult, Scanner, Validator,
} from './types';

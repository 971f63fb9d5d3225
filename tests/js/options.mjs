// The /api/options of a real app, written by tests/test_js_units.py (TP_OPTIONS_JSON names the file).
import { readFileSync } from 'node:fs';

const path = process.env.TP_OPTIONS_JSON;
if (!path) throw new Error('TP_OPTIONS_JSON is not set: run these tests through tests/test_js_units.py');

export const OPTIONS = JSON.parse(readFileSync(path, 'utf8'));

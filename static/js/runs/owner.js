// This browser's owner token: 32 random bytes drawn once and kept in localStorage. The server stores only
// its hash, and deletes a run only for the token that saved it. The ids saved here are remembered so the
// runs page offers "delete" on them only.

const TOKEN_KEY = 'tp.runs.owner';
const MINE_KEY = 'tp.runs.mine';

export function ownerToken() {
  let token = localStorage.getItem(TOKEN_KEY);
  if (!token) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    token = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(TOKEN_KEY, token);
  }
  return token;
}

export function myRuns() {
  try { return new Set(JSON.parse(localStorage.getItem(MINE_KEY) ?? '[]')); } catch { return new Set(); }
}

export function rememberRun(id, mine = true) {
  const ids = myRuns();
  if (mine) ids.add(id); else ids.delete(id);
  localStorage.setItem(MINE_KEY, JSON.stringify([...ids]));
}

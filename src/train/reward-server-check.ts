/** The lines a launch script starts with: where looptool's reward server is, and a check that it answers before a cluster spins up. */
import { shellWord } from './shell-words.ts';

export function portOf(url: string): string {
  const u = new URL(url);
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

/** Exports `LOOPTOOL_REWARD_URL` and stops the script when `<url>/health` does not answer (the check is skipped without curl). */
export function rewardServerPreamble(rewardUrl: string): string {
  return `export LOOPTOOL_REWARD_URL=${shellWord(rewardUrl)}
if command -v curl >/dev/null 2>&1 && ! curl -fsS --max-time 10 "$LOOPTOOL_REWARD_URL/health" >/dev/null; then
  echo "looptool's reward server does not answer at $LOOPTOOL_REWARD_URL/health; start it with: looptool serve-reward --port ${portOf(rewardUrl)}" >&2
  exit 1
fi`;
}

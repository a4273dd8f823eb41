/** The model an OpenAI-compatible server serves, from `GET /models`, for when the command line names none. */
export async function servedModelName(baseUrl: string, apiKey?: string, timeoutMs = 10_000): Promise<string> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const response = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(timeoutMs) }).catch((e: Error & { cause?: { message?: string } }) => {
    // fetch says only "fetch failed"; the cause says why (refused, unknown host)
    throw new Error(e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message);
  });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  const id = body.data?.[0]?.id;
  if (typeof id !== 'string') throw new Error(`GET ${url} lists no model`);
  return id;
}

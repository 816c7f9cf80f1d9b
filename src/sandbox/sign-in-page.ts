/**
 * The pages of the sandbox's sign-in: the form a technician signs in with, and the page that says
 * an authorisation request cannot be answered at all. Small, self-contained (no scripts, styles or
 * assets from elsewhere), and every value from the request escaped.
 */
import type { Reply } from './reply.js';

/** The OAuth parameters the form carries through from the authorisation request. */
export const CARRIED_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'tenant'] as const;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  // No form-action: browsers apply it to the redirect after the form, which goes to the application.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(status: number, title: string, content: string): Reply {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;margin:.4rem 0}input{width:100%;padding:.4rem}.error{color:#b00020}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${content}
</body>
</html>
`;
  return { status, body, headers: PAGE_HEADERS };
}

/** The sign-in form; `message` is shown above it when a sign-in failed. */
export function signInPage(params: URLSearchParams, options: { username?: string; message?: string } = {}): Reply {
  const hidden = CARRIED_PARAMS.filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('\n');
  const message = options.message ? `<p class="error" role="alert">${escapeHtml(options.message)}</p>\n` : '';
  return page(
    200,
    'Sign in to Halo',
    `${message}<form method="post" action="/auth/authorize">
${hidden}
<label for="username">Email or username</label>
<input id="username" name="username" autocomplete="username" value="${escapeHtml(options.username ?? '')}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="signin" type="submit">Sign in</button>
<button name="cancel" value="true" type="submit" formnovalidate>Cancel</button>
</form>`,
  );
}

/** A request the sign-in cannot redirect back from, because the application or its address is not known. */
export function problemPage(message: string): Reply {
  return page(400, 'Sign-in request refused', `<p class="error">${escapeHtml(message)}</p>`);
}

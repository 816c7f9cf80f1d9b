/** What the sandbox's handlers answer, before the server writes it to the connection. */
export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** The agent whose token made an API call, for the request log; never sent. */
  agentId?: number;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

/**
 * Prompts, registered from the specs the catalog hands in: a prompt is offered only when the tools
 * it relies on are, and its arguments are completed from Halo as they are typed.
 */
import { completable, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { HaloClient } from '../halo/client.js';

export interface PromptArgument {
  description: string;
  optional?: true;
  /** Values that match what has been typed so far, read from Halo. */
  complete?: (halo: HaloClient, value: string) => Promise<string[]>;
}

export interface PromptSpec {
  name: string;
  title: string;
  description: string;
  needs: string[];
  args: Record<string, PromptArgument>;
  /** The message, given the arguments and whether the server offers a tool (so that it names no tool the server hides). */
  text(args: Record<string, string | undefined>, offers: (tool: string) => boolean): string;
}

/** The prompts whose tools a server offers. */
export function availablePrompts(prompts: readonly PromptSpec[], offers: (tool: string) => boolean): PromptSpec[] {
  return prompts.filter((prompt) => prompt.needs.every(offers));
}

function argumentSchema(argument: PromptArgument, halo: HaloClient): z.ZodType<string | undefined> {
  const text = z.string().describe(argument.description);
  const complete = argument.complete;
  if (argument.optional) return text.optional();
  return complete ? completable(text, (value) => complete(halo, value)) : text;
}

export function registerPrompts(server: McpServer, prompts: readonly PromptSpec[], offers: (tool: string) => boolean, halo: HaloClient): void {
  for (const prompt of prompts) {
    const argsSchema = z.object(Object.fromEntries(Object.entries(prompt.args).map(([name, argument]) => [name, argumentSchema(argument, halo)])));
    server.registerPrompt(prompt.name, { title: prompt.title, description: prompt.description, argsSchema }, (args: Record<string, string | undefined>) => ({
      messages: [{ role: 'user', content: { type: 'text', text: prompt.text(args, offers) } }],
    }));
  }
}

/**
 * The events a session's streams sent, kept in memory so that a client whose SSE stream broke can
 * reconnect with `Last-Event-ID` and receive what it missed (the resumability of MCP's Streamable
 * HTTP before 2026-07-28). With an event store the SDK also opens each stream with a priming event
 * and a `retry` field, which tell the client it may reconnect and when. Bounded per session: a
 * client that stays away longer than the last events loses only those, and memory stays flat.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/** Events kept per session: a tool call's progress and log messages are a few dozen at most. */
const KEPT_EVENTS = 256;

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
}

export class SessionEvents implements EventStore {
  private events: StoredEvent[] = [];
  private sequence = 0;

  constructor(private readonly capacity = KEPT_EVENTS) {}

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${streamId}_${++this.sequence}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return Promise.resolve(id);
  }

  /** The stream an event was sent on, while the event is still kept; an id never issued or forgotten is refused by the SDK. */
  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.events.find((event) => event.id === eventId)?.streamId);
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const at = this.events.findIndex((event) => event.id === lastEventId);
    const last = this.events[at];
    if (!last) return '';
    for (const event of this.events.slice(at + 1)) if (event.streamId === last.streamId) await send(event.id, event.message);
    return last.streamId;
  }
}

/** Fino AI threads and messages (spec §4.1). The WebSocket side is `presignWebSocketUrl`. */
import { pythonJsonDumps } from '../core/encoding.js';
import { APIResource, expectArray } from '../core/resource.js';
import type { RequestOptions } from '../types/common.js';
import type { MessageInput, SendMessageInput, Thread, ThreadConfig } from '../types/fino.js';

export class FinoResource extends APIResource {
  /** `GET /fino/threads`; must be an array. */
  async listThreads(options?: RequestOptions): Promise<Thread[]> {
    return expectArray(await this.client.request('GET', 'fino/threads', options), 'Expected list of threads');
  }

  /** `POST /fino/threads`. */
  createThread(config: ThreadConfig = {}, options?: RequestOptions): Promise<Thread> {
    return this.client.request('POST', 'fino/threads', { ...options, body: pythonJsonDumps(config) });
  }

  /** `GET /fino/threads/{threadId}`. */
  getThread(threadId: string, options?: RequestOptions): Promise<Thread> {
    return this.client.request('GET', `fino/threads/${threadId}`, options);
  }

  /** `PUT /fino/threads/{threadId}`. */
  updateThread(threadId: string, config: ThreadConfig, options?: RequestOptions): Promise<Thread> {
    return this.client.request('PUT', `fino/threads/${threadId}`, { ...options, body: pythonJsonDumps(config) });
  }

  /** `DELETE /fino/threads/{threadId}` → `true`. */
  deleteThread(threadId: string, options?: RequestOptions): Promise<boolean> {
    return this.client.request('DELETE', `fino/threads/${threadId}`, options);
  }

  /** `POST /fino/threads/{threadId}/messages` → new message id. */
  addThreadMessage(threadId: string, message: MessageInput, options?: RequestOptions): Promise<string> {
    return this.client.request('POST', `fino/threads/${threadId}/messages`, {
      ...options,
      body: pythonJsonDumps(message),
    });
  }

  /** `DELETE /fino/threads/{threadId}/messages` → `true`. */
  clearThreadMessages(threadId: string, options?: RequestOptions): Promise<boolean> {
    return this.client.request('DELETE', `fino/threads/${threadId}/messages`, options);
  }

  /** `POST /fino/message` → message id. */
  sendMessage(payload: SendMessageInput, options?: RequestOptions): Promise<string> {
    return this.client.request('POST', 'fino/message', { ...options, body: pythonJsonDumps(payload) });
  }
}

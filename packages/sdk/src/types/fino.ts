/** Fino AI thread shapes (spec §4.1). */

export interface ThreadSource {
  index_name: string;
  connection_id: string;
}

export interface ThreadConfig {
  name?: string;
  workflow_name?: string;
  streaming?: boolean;
  sources?: ThreadSource[];
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ThreadMessage {
  id?: string;
  role: 'user' | 'assistant' | 'system';
  content: string | { user_query?: string; user_message?: string; [key: string]: unknown };
  created_at?: string;
  [key: string]: unknown;
}

export interface Thread {
  id: string;
  user_id?: string;
  name?: string;
  status?: 'ongoing' | 'completed' | (string & {});
  workflow_name?: string;
  streaming?: boolean;
  created_at?: string;
  updated_at?: string;
  messages?: ThreadMessage[];
  sources?: ThreadSource[];
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Body of `addThreadMessage`. */
export type MessageInput = ThreadMessage | Record<string, unknown>;

/** Body of `sendMessage` (adds `thread_id`). */
export type SendMessageInput = (ThreadMessage & { thread_id?: string }) | Record<string, unknown>;

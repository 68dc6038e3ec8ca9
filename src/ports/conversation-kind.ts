import { z } from 'zod';

/** Where in Teams a conversation is that is not a personal chat: a group chat or a team channel. */
export const conversationKind = z.enum(['groupChat', 'channel'], {
  error: 'is not groupChat or channel',
});

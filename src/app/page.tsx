import { Chat } from './_components/chat.tsx';

export default function ChatPage() {
  return <Chat />;
}

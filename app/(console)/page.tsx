import { redirect } from 'next/navigation';

// The overview arrives with the traffic views; until then the fleet is the landing page.
export default function Home() {
  redirect('/fleet');
}

// The call page's state: the room (from the address), the chosen quality and devices, this
// member, the socket and a Peer per other member.

// getUserMedia constraints and the sender's maxBitrate per quality (VC-4).
export const QUALITY = {
  low: { width: 320, height: 180, bitrate: 150_000 },
  standard: { width: 640, height: 360, bitrate: 500_000 },
  high: { width: 1280, height: 720, bitrate: 1_500_000 },
};

export const roomToken = decodeURIComponent(location.pathname.split("/").pop());
export const params = new URLSearchParams(location.search);
export const GUEST_KEY = `video.guest.${roomToken}`;

export const state = {
  room: null,
  me: null,
  socket: null,
  bearer: null, // a guest's token (a colleague is signed in by the session cookie)
  userId: null,
  guest: false,
  stream: null,
  quality: "standard",
  audio: true,
  video: true,
  iceServers: [],
  peers: new Map(), // participant id -> Peer
  password: null,
  joined: false,
};
window.__call = state; // the browser tests read getStats() from the peers

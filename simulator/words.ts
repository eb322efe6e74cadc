// Vocabulary for names, slugs, search terms and user agents. Plain data.

export const ADJECTIVES = [
  'trail', 'urban', 'classic', 'ultra', 'compact', 'pro', 'eco', 'smart', 'vintage', 'wireless', 'merino', 'carbon',
  'alpine', 'coastal', 'nordic', 'studio', 'travel', 'everyday', 'rugged', 'silent', 'bright', 'soft', 'rapid', 'solar',
];
export const NOUNS = [
  'runner', 'jacket', 'backpack', 'headphones', 'kettle', 'lamp', 'tent', 'bottle', 'sneaker', 'watch', 'charger', 'helmet',
  'blender', 'desk', 'chair', 'speaker', 'camera', 'drone', 'bike-light', 'sleeping-bag', 'hoodie', 'router', 'keyboard', 'mug',
];
export const CATEGORIES = [
  'shoes', 'outdoor', 'electronics', 'home-kitchen', 'furniture', 'audio', 'cameras', 'bikes', 'clothing', 'accessories',
  'camping', 'office', 'smart-home', 'sports', 'travel', 'gaming', 'garden', 'kids', 'beauty', 'car-accessories',
];
export const SEARCH_TERMS = [
  'running shoes', 'rain jacket', 'usb c charger', 'noise cancelling', 'tent 2 person', 'gift', 'sale', 'wireless earbuds',
  'standing desk', 'coffee grinder', 'dash cam', 'phone mount', 'kids bike', 'winter boots', 'merino socks', 'power bank',
  'ski helmet', 'led lamp', 'backpack 30l', 'water bottle', 'ebike battery', 'floor mat', 'roof box', 'child seat',
];
export const PROMO_CODES = ['WELCOME10', 'SPRING25', 'FREESHIP', 'VIP2025', 'BLACKFRIDAY', 'STUDENT15', 'APPONLY5', 'SUMMER20', 'LOYAL30'];
export const COUNTRIES = ['DE', 'FR', 'GB', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT', 'BE', 'DK', 'IE', 'PT', 'CZ', 'FI', 'US'];
export const VEHICLE_MODELS = ['ev-compact', 'ev-suv', 'hybrid-wagon', 'city-van', 'e-scooter-pro', 'sport-coupe', 'family-mpv'];
export const WORKSHOPS = ['berlin-mitte', 'munich-east', 'hamburg-port', 'paris-nord', 'lyon-centre', 'amsterdam-west', 'vienna-ring'];
export const REPORTS = ['daily-sales', 'refund-rate', 'payment-mix', 'inventory-aging', 'fleet-usage', 'kyc-backlog'];
export const TEMPLATES = ['order-confirmation', 'shipping-update', 'password-reset', 'mfa-code', 'refund-issued', 'booking-confirmed'];

export const FIRST_NAMES = [
  'anna', 'ben', 'carla', 'david', 'elena', 'felix', 'greta', 'hugo', 'ines', 'jonas', 'katrin', 'lukas', 'maria', 'nils',
  'olga', 'paul', 'quentin', 'rosa', 'sven', 'tara', 'umar', 'vera', 'wim', 'xenia', 'yusuf', 'zoe', 'amir', 'chloe',
  'emma', 'liam', 'noah', 'mia', 'leon', 'sofia', 'mateo', 'lea', 'omar', 'julia', 'tomas', 'nora',
];
export const LAST_NAMES = [
  'schmidt', 'muller', 'dubois', 'rossi', 'garcia', 'novak', 'jansen', 'berg', 'kowalski', 'silva', 'martin', 'weber',
  'fischer', 'moreau', 'bianchi', 'lopez', 'horvat', 'nielsen', 'larsen', 'costa', 'meyer', 'wagner', 'becker', 'hoffmann',
];
export const MAIL_DOMAINS = ['mail.example', 'post.example', 'inbox.example', 'webmail.example', 'example.com', 'example.org'];

export const BROWSER_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
export const SHOP_APP_UAS = [
  'MeshShop/5.12.0 (iPhone; iOS 18.1; Scale/3.00)', 'MeshShop/5.12.0 (iPhone; iOS 17.6; Scale/3.00)',
  'MeshShop/5.11.2 (Android 14; Pixel 8)', 'MeshShop/5.12.0 (Android 15; SM-S921B)', 'MeshShop/5.10.4 (Android 13; moto g84)',
];
export const DRIVE_APP_UAS = ['MeshDrive/3.4.1 (iPhone; iOS 18.1)', 'MeshDrive/3.4.1 (Android 14; Pixel 7)', 'MeshDrive/3.3.9 (Android 13; SM-A546B)'];

/** The User-Agent of a service's HTTP client, by the language it is written in. */
export const CLIENT_UAS: Record<string, string> = {
  go: 'Go-http-client/2.0',
  java: 'Apache-HttpClient/5.3.1 (Java/21.0.5)',
  node: 'undici',
  python: 'python-httpx/0.27.2',
  rust: 'reqwest/0.12.9',
};

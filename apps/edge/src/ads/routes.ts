import { createRouter } from "../lib/openapi";
import { campaignRoutes } from "./campaign-routes";
import { deliveryRoutes } from "./delivery-routes";
import { reviewRoutes } from "./review-routes";

/**
 * The ads domain under /api/v1 (docs/ads.md): advertisers' campaigns and creatives, the moderators'
 * creative review, and delivery (VAST, tracking, clicks).
 */
export const adsRoutes = createRouter()
  .route("/", campaignRoutes)
  .route("/", reviewRoutes)
  .route("/", deliveryRoutes);

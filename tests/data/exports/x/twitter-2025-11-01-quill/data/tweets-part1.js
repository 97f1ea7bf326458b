window.YTD.tweets.part1 = [
  {
    "tweet": {
      "id_str": "1627000000000000002",
      "created_at": "Sun Feb 19 08:00:00 +0000 2023",
      "full_text": "RT @Prank_Page: look at this 😂 with @grimblewood_ac",
      "favorite_count": "0",
      "retweet_count": "0",
      "entities": {
        "user_mentions": [
          {
            "name": "Prank",
            "screen_name": "Prank_Page",
            "id_str": "5000000005"
          },
          {
            "name": "Grimblewood",
            "screen_name": "grimblewood_ac",
            "id_str": "4000000004"
          }
        ]
      }
    }
  }
]
-- Scores every active customer with the churn model.
select customer_id, churn_score(features) as score from customers where active;
